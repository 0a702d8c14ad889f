# shellcheck shell=bash
# shellcheck disable=SC2034  # the STACK_* settings are used by the scripts sourcing this
#
# Helpers shared by the repository's shell scripts (local/*, certs/make-certs,
# bench/run, bench/soak-exporters): err/die, the one Debian installer, and the
# local stack's settings. Sourced, never run. Reads the settings of SPEC §8:
#
#   QRAFT_STATE_DIR       local/.state   everything generated: configs, secrets, data, logs
#   QRAFT_CERT_DIR        certs/out      CA + server certificate (certs/make-certs)
#   QRAFT_PORTS           unset          auto: every port below that is not set is picked free (20000-31999)
#                                        once and kept in $QRAFT_STATE_DIR/ports.env for later runs
#   QRAFT_HTTPS_PORT      8443           HAProxy HTTPS frontend (127.0.0.1)
#   QRAFT_HTTP_PORT       8080           HAProxy HTTP frontend, redirects to HTTPS
#   QRAFT_APP_PORTS       7071,7072,7073 the three replicas app1, app2, app3
#   QRAFT_AZURITE_PORT    10002          Azurite table service
#   QRAFT_PROMETHEUS_PORT 9090           Prometheus
#   QRAFT_MAILDEV_PORTS   1025,1080      maildev: SMTP the replicas send to, its web view of the mail
#   QRAFT_EXPORTER_PORTS  9100,9256,8405 node-exporter, process-exporter, HAProxy's exporter
#   QRAFT_UP_TIMEOUT      120            seconds local/up waits for the stack to answer
#   QRAFT_SKIP_BUILD      unset          1: reuse <state>/app if it exists instead of publishing
#   QRAFT_PASSWORD_ITERATIONS unset      the replicas' Qraft__PasswordIterations (unset: the app's default)
#   QRAFT_JWT_ALGORITHM   HS256          HS256, or ES256: the replicas sign with a P-256 key generated once into
#                                        $QRAFT_STATE_DIR/jwt-es256.pem and publish it at /.well-known/jwks.json

err() {
  echo "[$(date +'%Y-%m-%dT%H:%M:%S%z')] ${0##*/}: $*" >&2
}

die() {
  err "$@"
  exit 1
}

as_root() {
  if (( EUID == 0 )); then
    "$@"
  elif command -v sudo >/dev/null; then
    sudo "$@"
  else
    die "need root to run: $*"
  fi
}

# The Debian packages of the local stack's programs (local/up; local/test installs them too).
readonly STACK_PACKAGES=(haproxy prometheus prometheus-node-exporter prometheus-process-exporter
  supervisor openssl curl iproute2)

# Debian starts these as system services on install, on the ports the local stack uses.
readonly STACK_APT_SERVICES=(prometheus prometheus-node-exporter prometheus-process-exporter)

# ensure_packages PACKAGE...: installs those of the Debian packages that dpkg
# does not report installed, and stops the system services apt starts with them.
ensure_packages() {
  local missing=() package
  for package in "$@"; do
    if ! dpkg-query -W -f='${Status}' "${package}" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("${package}")
    fi
  done
  (( ${#missing[@]} > 0 )) || return 0

  echo "installing Debian packages: ${missing[*]}" >&2
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null

  local service
  if [[ -d /run/systemd/system ]]; then
    for service in "${STACK_APT_SERVICES[@]}"; do
      if [[ " ${missing[*]} " == *" ${service} "* ]]; then
        echo "disabling the system service ${service} that apt just started (the stack runs its own)" >&2
        as_root systemctl disable --now "${service}" >/dev/null 2>&1 || true
      fi
    done
  fi
}

# Each port setting and how many ports it lists.
readonly STACK_PORT_SETTINGS=(QRAFT_HTTPS_PORT:1 QRAFT_HTTP_PORT:1 QRAFT_APP_PORTS:3
  QRAFT_AZURITE_PORT:1 QRAFT_PROMETHEUS_PORT:1 QRAFT_EXPORTER_PORTS:3 QRAFT_MAILDEV_PORTS:2)

# QRAFT_PORTS=auto: fills every port setting that is not set, from ports.env
# when an earlier run picked them (so local/render, local/up and local/down
# agree, and a restart keeps its URLs), else with ports free now, drawn below
# the kernel's ephemeral range so that outgoing connections do not take them
# first; then writes ports.env. Explicit settings always win.
use_auto_ports() {
  local file="${STACK_STATE}/ports.env" name value entry count port used ports
  if [[ -s "${file}" ]]; then
    while IFS='=' read -r name value; do
      if [[ " ${STACK_PORT_SETTINGS[*]%:*} " == *" ${name} "* && -z "${!name:-}" ]]; then
        printf -v "${name}" '%s' "${value}"
        STACK_PORTS_REMEMBERED=1
      fi
    done <"${file}"
  fi

  command -v ss >/dev/null || die "QRAFT_PORTS=auto needs ss (apt-get install iproute2)"
  used=" $(ss -Hltn | awk '{ n = split($4, a, ":"); printf "%s ", a[n] }')"
  for entry in "${STACK_PORT_SETTINGS[@]}"; do
    name="${entry%:*}" value="${!name:-}"
    used+="${value//,/ } "
  done
  for entry in "${STACK_PORT_SETTINGS[@]}"; do
    name="${entry%:*}" count="${entry#*:}"
    [[ -z "${!name:-}" ]] || continue
    ports=""
    while (( count > 0 )); do
      port=$(( 20000 + RANDOM % 12000 ))
      [[ "${used}" != *" ${port} "* ]] || continue
      used+="${port} " ports+="${ports:+,}${port}" count=$(( count - 1 ))
    done
    printf -v "${name}" '%s' "${ports}"
  done

  {
    echo "# Written by local/render or local/up (QRAFT_PORTS=auto): the ports this stack uses."
    for entry in "${STACK_PORT_SETTINGS[@]}"; do
      name="${entry%:*}"
      echo "${name}=${!name}"
    done
  } >"${file}"
}

# Loads and validates the settings; sets the STACK_* variables used by the scripts.
load_settings() {
  STACK_REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

  local state="${QRAFT_STATE_DIR:-${STACK_REPO}/local/.state}"
  mkdir -p "${state}"
  STACK_STATE="$(cd "${state}" && pwd)"
  # The path lands in supervisord's config (where % is special), in shell-quoted
  # lines and in regular expressions: keep it plain.
  if [[ ! "${STACK_STATE}" =~ ^[A-Za-z0-9_./+-]+$ ]]; then
    die "QRAFT_STATE_DIR must be a plain path (letters, digits, _ . / + -): ${STACK_STATE}"
  fi
  if (( ${#STACK_STATE} > 80 )); then
    die "QRAFT_STATE_DIR is too long for a unix socket path (max 80 chars): ${STACK_STATE}"
  fi

  local certs="${QRAFT_CERT_DIR:-${STACK_REPO}/certs/out}"
  mkdir -p "${certs}"
  STACK_CERTS="$(cd "${certs}" && pwd)"

  STACK_PORTS_REMEMBERED=0
  case "${QRAFT_PORTS:-}" in
    "") ;;
    auto) use_auto_ports ;;
    *) die "QRAFT_PORTS must be 'auto' or unset, got '${QRAFT_PORTS}'" ;;
  esac

  STACK_HTTPS_PORT="${QRAFT_HTTPS_PORT:-8443}"
  STACK_HTTP_PORT="${QRAFT_HTTP_PORT:-8080}"
  STACK_AZURITE_PORT="${QRAFT_AZURITE_PORT:-10002}"
  STACK_PROMETHEUS_PORT="${QRAFT_PROMETHEUS_PORT:-9090}"
  IFS=, read -r -a STACK_APP_PORTS <<<"${QRAFT_APP_PORTS:-7071,7072,7073}"
  local exporters
  IFS=, read -r -a exporters <<<"${QRAFT_EXPORTER_PORTS:-9100,9256,8405}"
  if (( ${#STACK_APP_PORTS[@]} != 3 )); then
    die "QRAFT_APP_PORTS must list exactly three ports, got '${QRAFT_APP_PORTS:-}'"
  fi
  if (( ${#exporters[@]} != 3 )); then
    die "QRAFT_EXPORTER_PORTS must list node,process,haproxy-exporter ports, got '${QRAFT_EXPORTER_PORTS:-}'"
  fi
  local maildev
  IFS=, read -r -a maildev <<<"${QRAFT_MAILDEV_PORTS:-1025,1080}"
  if (( ${#maildev[@]} != 2 )); then
    die "QRAFT_MAILDEV_PORTS must list the SMTP and web ports, got '${QRAFT_MAILDEV_PORTS:-}'"
  fi
  STACK_SMTP_PORT="${maildev[0]}"
  STACK_MAILDEV_WEB_PORT="${maildev[1]}"
  STACK_NODE_EXPORTER_PORT="${exporters[0]}"
  STACK_PROCESS_EXPORTER_PORT="${exporters[1]}"
  STACK_HAPROXY_EXPORTER_PORT="${exporters[2]}"

  STACK_ALL_PORTS=("${STACK_HTTPS_PORT}" "${STACK_HTTP_PORT}" "${STACK_APP_PORTS[@]}"
    "${STACK_AZURITE_PORT}" "${STACK_PROMETHEUS_PORT}" "${exporters[@]}" "${maildev[@]}")
  local port
  for port in "${STACK_ALL_PORTS[@]}"; do
    if [[ ! "${port}" =~ ^[0-9]+$ ]] || (( port < 1 || port > 65535 )); then
      die "not a TCP port: '${port}'"
    fi
  done
  if [[ "$(printf '%s\n' "${STACK_ALL_PORTS[@]}" | sort | uniq -d)" != "" ]]; then
    die "the stack's ports must all differ: ${STACK_ALL_PORTS[*]}"
  fi

  STACK_INSTANCES=(app1 app2 app3)
  STACK_UP_TIMEOUT="${QRAFT_UP_TIMEOUT:-120}"
  STACK_PASSWORD_ITERATIONS="${QRAFT_PASSWORD_ITERATIONS:-}"
  if [[ -n "${STACK_PASSWORD_ITERATIONS}" && ! "${STACK_PASSWORD_ITERATIONS}" =~ ^[1-9][0-9]*$ ]]; then
    die "QRAFT_PASSWORD_ITERATIONS must be a positive number, got '${STACK_PASSWORD_ITERATIONS}'"
  fi

  STACK_JWT_ALGORITHM="${QRAFT_JWT_ALGORITHM:-HS256}"
  if [[ ! "${STACK_JWT_ALGORITHM}" =~ ^(HS256|ES256)$ ]]; then
    die "QRAFT_JWT_ALGORITHM must be HS256 or ES256, got '${STACK_JWT_ALGORITHM}'"
  fi

  STACK_APP_DIR="${STACK_STATE}/app"
  STACK_LOG_DIR="${STACK_STATE}/logs"
  STACK_SECRETS="${STACK_STATE}/secrets.env"
  STACK_SUPERVISOR_CONF="${STACK_STATE}/supervisord.conf"
  STACK_SUPERVISOR_PID="${STACK_STATE}/supervisord.pid"
  STACK_SUPERVISOR_SOCK="${STACK_STATE}/supervisor.sock"
  STACK_STACK_ENV="${STACK_STATE}/stack.env"
  STACK_CA_FILE="${STACK_CERTS}/ca.crt"
  STACK_TLS_PEM="${STACK_CERTS}/haproxy.pem"
  # Azurite's well-known development account (public, documented by Azure).
  STACK_AZURITE_CONNECTION="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:${STACK_AZURITE_PORT}/devstoreaccount1;"
}

# Prints the PID of this stack's supervisord if it is alive.
supervisord_pid() {
  local pid
  [[ -s "${STACK_SUPERVISOR_PID}" ]] || return 1
  pid="$(<"${STACK_SUPERVISOR_PID}")"
  [[ "${pid}" =~ ^[0-9]+$ ]] || return 1
  kill -0 "${pid}" 2>/dev/null || return 1
  [[ "$(tr '\0' ' ' <"/proc/${pid}/cmdline" 2>/dev/null)" == *"${STACK_SUPERVISOR_CONF}"* ]] || return 1
  echo "${pid}"
}

stack_ctl() {
  supervisorctl -c "${STACK_SUPERVISOR_CONF}" "$@"
}

# PIDs of processes started for this stack that outlived their supervisor:
# a known program whose command line names the state directory.
leftover_pids() {
  local dir pid comm cmdline
  for dir in /proc/[0-9]*; do
    pid="${dir#/proc/}"
    [[ "${pid}" != "$$" ]] || continue
    comm="$(cat "${dir}/comm" 2>/dev/null)" || continue
    case "${comm}" in
      dotnet|node|haproxy|prometheus|prometheus-node|prometheus-proc|supervisord) ;;
      *) continue ;;
    esac
    cmdline="$(tr '\0' ' ' <"${dir}/cmdline" 2>/dev/null)" || continue
    if [[ "${cmdline}" == *"${STACK_STATE}/"* ]]; then
      echo "${pid}"
    fi
  done
}

# Creates (or empties) a file readable by its owner only, before secrets go in.
private_file() {
  install -m 600 /dev/null "$1"
}

# Escapes a plain path (see load_settings) for use in a regular expression.
regex_escape() {
  local escaped="${1//./\\.}"
  echo "${escaped//+/\\+}"
}

# render_template SRC DST NAME...: copies SRC to DST replacing each ${NAME}
# with the value of the shell variable NAME; fails if a ${QRAFT_...} is left.
render_template() {
  local src="$1" dst="$2" content name
  shift 2
  content="$(<"${src}")"
  shopt -u patsub_replacement 2>/dev/null || true
  for name in "$@"; do
    content="${content//"\${${name}}"/"${!name}"}"
  done
  if [[ "${content}" =~ \$\{QRAFT_[A-Z0-9_]*\} ]]; then
    die "${src}: no value for ${BASH_REMATCH[0]}"
  fi
  printf '%s\n' "${content}" >"${dst}"
}
