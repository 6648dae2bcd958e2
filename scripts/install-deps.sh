#!/usr/bin/env bash
# Installs what building and testing swift-ovs needs on Debian 12, idempotently:
# build libraries, Debian's Open vSwitch (the compatibility oracle; nothing is started
# system-wide) and the Python clients the tests drive.
set -euo pipefail

apt_packages=(pkg-config libssl-dev libvirt-dev libxml2-dev libmnl-dev
              openvswitch-common openvswitch-switch python3-pytest iproute2)
missing=()
for p in "${apt_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "install-deps: installing ${missing[*]}"
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
    $SUDO apt-get update -qq
    # policy-rc.d keeps the package from starting Open vSwitch system-wide.
    $SUDO sh -c 'printf "#!/bin/sh\nexit 101\n" > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d'
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
    $SUDO rm -f /usr/sbin/policy-rc.d
fi

python3 - <<'PY' 2>/dev/null || { echo "install-deps: installing Python clients"; python3 -m pip install -q ovs ovsdbapp pytest; }
import ovs, ovsdbapp, pytest
PY
