# Shared by scripts/start and scripts/test: find (or install) what the build needs.
# Installs use apt-get, and only when something is missing.

log() { printf '==> %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    log "need root to run: $*"; return 1; fi
}

apt_install() {
  log "installing $* (apt-get)"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

java_major() { "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }

# JAVA_HOME of a JDK 21 or newer: $JAVA_HOME if it qualifies, else the newest under /usr/lib/jvm.
use_jdk21() {
  local candidate best="" best_major=0 major
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(java_major "$candidate/bin/java")
    if [ "${major:-0}" -ge 21 ] && [ "$major" -gt "$best_major" ]; then best=$candidate; best_major=$major; fi
  done
  if [ -z "$best" ]; then
    apt_install openjdk-21-jdk-headless || apt_install openjdk-25-jdk-headless || {
      log "Autobus needs a JDK 21 or newer: install one and set JAVA_HOME"; return 1; }
    use_jdk21; return
  fi
  export JAVA_HOME=$best PATH="$best/bin:$PATH"
  # Maven 3.8 runs fine on newer JDKs but prints sun.misc.Unsafe warnings; silence them.
  if [ "$best_major" -ge 24 ]; then export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"; fi
  command -v mvn >/dev/null || apt_install maven
}
