#!/bin/sh
# FLick agent installer, served by the hub for one server (docs/agent.md, "Add an agent in one step").
# Run as: curl -fsSL '@HUB@/install.sh?code=…' | sudo sh
# The install code below is single-use and short-lived: this script trades it for the agent's token, which goes
# straight from the hub into a root-only file (0600). The token is never on a command line, in the environment
# or in this script. FLICK_INSTALL_ROOT=<dir> installs under that directory instead (no user, no systemctl).
set -eu

HUB='@HUB@'
CODE='@CODE@'
ROOT="${FLICK_INSTALL_ROOT:-}"

fail() {
    echo "flick: $*" >&2
    exit 1
}

if [ -z "$ROOT" ] && [ "$(id -u)" -ne 0 ]; then
    fail "run this as root: curl -fsSL '$HUB/install.sh?code=…' | sudo sh"
fi
command -v curl >/dev/null 2>&1 || fail "curl is needed"
JAVA="$(command -v java || true)"
[ -n "$JAVA" ] || fail "Java 21 or newer is needed (Debian/Ubuntu: apt install openjdk-21-jre-headless)"

umask 077
mkdir -p "$ROOT/opt/flick" "$ROOT/etc/flick"
chmod 0755 "$ROOT/opt/flick"

echo "flick: downloading the agent from $HUB"
curl -fsSL -o "$ROOT/opt/flick/flick-agent.jar.new" "$HUB/agent/flick-agent.jar"
chmod 0644 "$ROOT/opt/flick/flick-agent.jar.new"
mv -f "$ROOT/opt/flick/flick-agent.jar.new" "$ROOT/opt/flick/flick-agent.jar"

# The code is spent here; the answer (the token) is written by curl itself into the 0600 file.
rm -f "$ROOT/etc/flick/agent.token.new"
curl -fsS -o "$ROOT/etc/flick/agent.token.new" --data-urlencode "code@-" "$HUB/agent/token" <<CODE_EOF || fail "the install code was refused (used already, or older than 15 minutes): make a new one in FLick"
$CODE
CODE_EOF
chmod 0600 "$ROOT/etc/flick/agent.token.new"
mv -f "$ROOT/etc/flick/agent.token.new" "$ROOT/etc/flick/agent.token"

# FLICK_HUB=https://a,https://b (sudo FLICK_HUB=… sh) gives the agent several hubs to move between; default: this one.
cat > "$ROOT/etc/flick/agent.env" <<ENV_EOF
FLICK_HUB=${FLICK_HUB:-$HUB}
ENV_EOF
chmod 0644 "$ROOT/etc/flick/agent.env"

# The agent's own tuned JVM flags for this java (the same the agent uses when started as a plain java -jar).
FLAGS="$("$JAVA" -cp "$ROOT/opt/flick/flick-agent.jar" dev.flick.agent.AgentJvm 2>/dev/null || true)"
mkdir -p "$ROOT/etc/systemd/system"
if [ -n "$FLAGS" ]; then EXEC="s#^ExecStart=/usr/bin/java .* -jar #ExecStart=$JAVA $FLAGS -jar #"; else EXEC="s#/usr/bin/java#$JAVA#"; fi
sed "$EXEC" > "$ROOT/etc/systemd/system/flick-agent.service" <<'UNIT_EOF'
@UNIT@
UNIT_EOF
chmod 0644 "$ROOT/etc/systemd/system/flick-agent.service"

if [ -n "$ROOT" ]; then
    echo "flick: installed under $ROOT (start: FLICK_HUB=${FLICK_HUB:-$HUB} FLICK_TOKEN_FILE=$ROOT/etc/flick/agent.token $JAVA -jar $ROOT/opt/flick/flick-agent.jar)"
    exit 0
fi

if ! id flick-agent >/dev/null 2>&1; then
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin flick-agent 2>/dev/null \
        || adduser --system --no-create-home --group flick-agent 2>/dev/null \
        || fail "could not create the flick-agent user"
fi
getent group flick-agent >/dev/null 2>&1 || groupadd --system flick-agent 2>/dev/null || true

if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
    systemctl daemon-reload
    systemctl enable flick-agent.service >/dev/null 2>&1 || true
    systemctl restart flick-agent.service
    echo "flick: the agent is running (systemctl status flick-agent); FLick shows the server as connected within seconds"
else
    echo "flick: installed; no systemd here, so start it yourself:"
    echo "  FLICK_HUB=${FLICK_HUB:-$HUB} FLICK_TOKEN_FILE=/etc/flick/agent.token $JAVA -jar /opt/flick/flick-agent.jar"
fi
