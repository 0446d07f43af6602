#!/usr/bin/env bash
# The notebooks in a Java kernel (rapaio-jupyter-kernel from Maven Central, run on the project's JDK).
#
#   examples/notebooks/run.sh [NOTEBOOK.ipynb ...]  execute the notebooks headless (default: all of
#                                                    examples/notebooks/*.ipynb); executed copies and
#                                                    kernel logs go to examples/notebooks/build/; exits
#                                                    non-zero if any cell fails
#   examples/notebooks/run.sh --open [ARGS ...]      open them in Jupyter Notebook with this kernel
#   examples/notebooks/run.sh --setup                only install and register the kernel
#   examples/notebooks/run.sh --classpath            print the kernel's class path (':'-separated, for
#                                                    IJava/JJava's IJAVA_CLASSPATH / JJAVA_CLASSPATH)
#
# Installs what is missing: Debian's python3-nbclient (and jupyter-notebook for --open) through apt-get
# when running as root; the kernel jar through Maven; the project's jars (mvn install -DskipTests, the
# same build and stamp as ./fastcrypt4j). The kernelspec is written to examples/notebooks/.kernels/
# and found through JUPYTER_PATH, so nothing is installed into the user's or the system's Jupyter.
#
# Environment: FC4J_NOTEBOOK_JAVA (the java launcher; default $JAVA_HOME/bin/java, else java on PATH;
# JDK 17 or newer with jdk.jshell), FC4J_NOTEBOOK_JAVA_OPTS (heap and ND4J memory caps, default
# -Xmx3g -Dorg.bytedeco.javacpp.maxbytes=4g -Dorg.bytedeco.javacpp.maxphysicalbytes=8g),
# FC4J_NOTEBOOK_CELL_TIMEOUT (seconds per cell, default 600), FC4J_NOTEBOOK_STARTUP_TIMEOUT (seconds
# for a kernel to answer, default 60; 3 attempts), FC4J_MVN_ARGS (extra Maven arguments),
# FC4J_NOTEBOOK_SKIP_BUILD=1 (use the classes already built even if sources are newer), FC4J_DATA (the
# data directory handed to the kernel; default .fastcrypt4j/data in the repository root).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
caller_dir="$PWD"
cd "$root"

kernel_version=3.0.1
kernel_artifact="io.github.padreati:rapaio-jupyter-kernel:$kernel_version"
kernel_name=fastcrypt4j-java
kernels_home="$here/.kernels"                 # JUPYTER_PATH entry: kernels/<name>/kernel.json below it
kernel_dir="$kernels_home/kernels/$kernel_name"
lib_dir="$kernels_home/lib"
kernel_jar="$lib_dir/rapaio-jupyter-kernel-$kernel_version.jar"
fix_src="$here/kernel-fix/org/rapaio/jupyter/kernel/channels/LoopThread.java"
fix_dir="$lib_dir/kernel-fix"
build_dir="$here/build"
py=/usr/bin/python3                           # Debian's python with Debian's jupyter packages

mode=run
case "${1:-}" in
  --open) mode=open; shift ;;
  --setup) mode=setup; shift ;;
  --classpath) mode=classpath; shift ;;
  -h|--help) sed -n '2,23p' "$here/run.sh" | sed 's/^# \{0,1\}//'; exit 0 ;;
esac

log() { echo "notebooks: $*" >&2; }

apt_install() {
  if [ "$(id -u)" != 0 ]; then
    log "missing Debian packages: $*; install them with: sudo apt-get install $*"
    exit 1
  fi
  log "installing $*"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >&2
}

# --- Python side: nbclient (headless), Jupyter Notebook (--open) ---------------------------------------
need_python() {
  if [ ! -x "$py" ] || ! "$py" -c 'import nbclient, nbformat, jupyter_client' 2>/dev/null; then
    apt_install python3-nbclient
  fi
}

# --- Java side: JDK 17+, the project's jars, the kernel jar ---------------------------------------------
find_java() {
  local j="${FC4J_NOTEBOOK_JAVA:-}"
  if [ -z "$j" ] && [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then j="$JAVA_HOME/bin/java"; fi
  if [ -z "$j" ]; then j="$(command -v java || true)"; fi
  if [ -z "$j" ]; then log "no java found (install openjdk-17-jdk-headless or set FC4J_NOTEBOOK_JAVA)"; exit 1; fi
  j="$(readlink -f "$j")"
  local feature
  feature="$("$j" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
  if [ -z "$feature" ] || [ "${feature%%.*}" -lt 17 ]; then
    log "$j is Java ${feature:-?}; the kernel and the project need JDK 17 or newer (set FC4J_NOTEBOOK_JAVA)"; exit 1
  fi
  if ! "$j" --list-modules 2>/dev/null | grep -q '^jdk.jshell@'; then
    log "$j has no jdk.jshell module: a JDK (not a JRE) is needed"; exit 1
  fi
  if [ ! -x "$(dirname "$j")/javac" ]; then log "no javac beside $j: a JDK is needed"; exit 1; fi
  java_bin="$j"
}

build_project() {
  # the same rule and stamp as ./fastcrypt4j: build when never built or when sources changed
  local cp_file="examples/target/classpath.txt" stamp="examples/target/.fastcrypt4j-built"
  if [ "${FC4J_NOTEBOOK_SKIP_BUILD:-0}" = 1 ] && [ -f "$cp_file" ]; then return; fi
  if [ ! -f "$cp_file" ] || [ ! -f "$stamp" ] \
      || [ -n "$(find pom.xml */pom.xml */src/main -newer "$stamp" -print -quit 2>/dev/null)" ]; then
    log "building the project (mvn install -DskipTests) ..."
    # shellcheck disable=SC2086
    mvn -q -B install -DskipTests ${FC4J_MVN_ARGS:-} >&2
    touch "$stamp"
  fi
}

kernel_classpath() {
  # as ./fastcrypt4j: the modules' classes, then the examples module's runtime class path; absolute paths
  local entry
  { printf '%s\n' examples/target/classes dl4j-secure-layers/target/classes nd4j-ring-ops/target/classes \
      transport-aeron/target/classes
    tr ':' '\n' < examples/target/classpath.txt
  } | while IFS= read -r entry; do
    [ -n "$entry" ] || continue
    case "$entry" in /*) printf '%s\n' "$entry" ;; *) printf '%s\n' "$root/$entry" ;; esac
  done
}

install_kernel() {
  mkdir -p "$lib_dir" "$kernel_dir"
  if [ ! -f "$kernel_jar" ]; then
    log "fetching $kernel_artifact from Maven Central"
    # shellcheck disable=SC2086
    mvn -q -B -N dependency:copy -Dartifact="$kernel_artifact" -DoutputDirectory="$lib_dir" ${FC4J_MVN_ARGS:-} >&2
  fi
  local fix_class="$fix_dir/org/rapaio/jupyter/kernel/channels/LoopThread.class"
  if [ ! -f "$fix_class" ] || [ "$fix_src" -nt "$fix_class" ]; then
    "$(dirname "$java_bin")/javac" --release 17 -d "$fix_dir" "$fix_src"
  fi
  # shellcheck disable=SC2086
  FC4J_KERNEL_CLASSPATH="$(kernel_classpath)" "$py" - "$kernel_dir/kernel.json" "$java_bin" \
      "$fix_dir:$kernel_jar" "$kernels_home/mima_cache" "${FC4J_DATA:-$root/.fastcrypt4j/data}" \
      "$kernel_version" ${FC4J_NOTEBOOK_JAVA_OPTS:--Xmx3g -Dorg.bytedeco.javacpp.maxbytes=4g -Dorg.bytedeco.javacpp.maxphysicalbytes=8g} <<'PY'
import json, os, sys
out, java, kernel_cp, mima, data, version = sys.argv[1:7]
java_opts = sys.argv[7:]
classpath = [line for line in os.environ["FC4J_KERNEL_CLASSPATH"].splitlines() if line]
spec = {
    "argv": [java] + java_opts + [
        # the ring matmul's Vector API kernel and Aeron on JDK 17+ (as ./fastcrypt4j); quieter ND4J/DL4J start-up
        # logging in the cells
        "--add-modules", "jdk.incubator.vector",
        "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
        "--add-opens", "java.base/java.nio=ALL-UNNAMED",
        "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
        "-Djava.awt.headless=true",  # pictures are drawn into BufferedImages, never on a screen
        "-cp", kernel_cp, "org.rapaio.jupyter.kernel.MainApp", "{connection_file}"],
    "display_name": "Java (FastCrypt4J, rjk %s)" % version,
    "language": "java",
    "interrupt_mode": "message",
    "env": {
        # rapaio-jupyter-kernel adds these entries to JShell's class path; ';' separates them
        "RJK_CLASSPATH": ";".join(classpath),
        "RJK_COMPILER_OPTIONS": "",
        "RJK_INIT_SCRIPT": "",
        "RJK_TIMEOUT_MILLIS": "-1",
        "RJK_MIMA_CACHE": mima,
        "FC4J_DATA": data,
    },
}
with open(out, "w") as f:
    json.dump(spec, f, indent=2)
    f.write("\n")
PY
}

find_java
build_project
if [ "$mode" = classpath ]; then
  kernel_classpath | paste -sd: -
  exit 0
fi
need_python
install_kernel
export JUPYTER_PATH="$kernels_home${JUPYTER_PATH:+:$JUPYTER_PATH}"

case "$mode" in
  setup)
    log "kernel '$kernel_name' registered in $kernel_dir (use it with JUPYTER_PATH=$kernels_home)"
    ;;
  open)
    if [ ! -x /usr/bin/jupyter-notebook ]; then apt_install jupyter-notebook; fi
    root_flag=(); if [ "$(id -u)" = 0 ]; then root_flag=(--allow-root); fi   # Jupyter refuses root otherwise
    exec /usr/bin/jupyter-notebook --notebook-dir="$here" "${root_flag[@]}" "$@"
    ;;
  run)
    notebooks=()
    for nb in "$@"; do
      case "$nb" in /*) notebooks+=("$nb") ;; *) notebooks+=("$caller_dir/$nb") ;; esac
    done
    if [ "${#notebooks[@]}" = 0 ]; then notebooks=("$here"/*.ipynb); fi
    exec "$py" "$here/execute.py" "$kernel_name" "$build_dir" "${notebooks[@]}"
    ;;
esac
