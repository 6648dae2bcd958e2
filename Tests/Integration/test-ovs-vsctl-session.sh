#!/usr/bin/env bash
# Differential test: the same scripted ovs-vsctl session (generic commands plus
# the exact command lines libvirt, the XenServer vif script,
# interface-reconfigure and RHEL ifup-ovs/ifdown-ovs run) against the server
# under test ($OVSDB_SERVER) and the reference server ($REFERENCE_OVSDB_SERVER),
# each in its own temporary directory.  Every step's stdout, stderr and exit
# status go to a transcript; the transcripts (UUIDs normalised) and final
# database dumps must be identical.  See lib.sh for the environment.

# shellcheck disable=SC2154  # make_tmpdir and ovsdb_start assign via printf -v
. "$(dirname "$0")/lib.sh"

VSCTL=${VSCTL:-/usr/bin/ovs-vsctl}

make_tmpdir work
step_out=$work/stdout
step_err=$work/stderr

# step ARG...: run "ovs-vsctl ARG..." against $sock and append the command,
# its stdout, stderr and exit status to $transcript.  The stdout stays in
# $step_out for the session to use.
step() {
    local rc
    "$VSCTL" --no-wait --timeout=10 --db="unix:$sock" "$@" >"$step_out" 2>"$step_err"
    rc=$?
    {
        printf '=== ovs-vsctl'
        printf ' %q' "$@"
        printf '\n'
        cat "$step_out"
        echo '--- stderr'
        sed -E -e "s|$server_dir|<dir>|g" \
            -e 's/^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z\|/<time>|/' "$step_err"
        echo "--- exit $rc"
    } >>"$transcript"
}

# Values that libvirt, XenServer and RHEL fill in from their own state.
VM_UUID=6f1b0a52-3d0c-4e8e-9d6a-0c2f6b1e7a10
IFACE_ID=9a7e2c44-1b3d-4f5e-8a6b-7c8d9e0f1a2b
MAC=52:54:00:ab:cd:ef
XS_VM=0b5c9c3e-8d4a-4a7e-9f6b-2e1d3c4b5a69
XS_VIF=1c6d0d4f-9e5b-4b8f-a07c-3f2e4d5c6b7a
XS_NET=2d7e1e50-af6c-4c90-b18d-40304e5d6c7b
XS_NET2=3e8f2f61-b07d-4da1-829e-514f5f6e7d8c

session() {
    # Empty database: ovs-vsctl creates the Open_vSwitch row on demand.
    step list-br
    step init
    step show
    step get Open_vSwitch . bridges

    # Bridges.
    step add-br br0
    step list-br
    step br-exists br0
    step br-exists nobr
    step add-br br0
    step --may-exist add-br br0
    step list Bridge br0
    step show
    step set Bridge br0 external_ids:owner=test 'other-config:hwaddr="00:11:22:33:44:55"'
    step br-set-external-id br0 xs-network-uuids 'a;b'
    step br-get-external-id br0
    step br-get-external-id br0 xs-network-uuids
    step br-to-vlan br0
    step br-to-parent br0

    # Ports: set/get/list/find/add/remove/clear.
    step add-port br0 eth0 external_ids:owner=test tag=10
    step list-ports br0
    step port-to-br eth0
    step iface-to-br eth0
    step list-ifaces br0
    step get Port eth0 tag external_ids:owner
    step set Port eth0 tag=20 other_config:priority=high
    step list Port eth0
    step --columns=name,tag find Port tag=20
    step --bare --columns=name,tag find Port tag=20
    step --format=csv --columns=name,other_config find Port name=eth0
    step --format=json --columns=name,tag,trunks list Port eth0
    step --format=table --data=json --columns=name,external_ids list Port eth0
    step add Port eth0 trunks 30 10 20
    step get Port eth0 trunks
    step remove Port eth0 trunks 20
    step add Port eth0 external_ids owner=other extra=1
    step get Port eth0 external_ids
    step remove Port eth0 external_ids owner=test
    step remove Port eth0 other_config priority
    step clear Port eth0 trunks
    step get Port eth0 trunks other_config external_ids
    step set Interface eth0 type=internal mtu_request=9000
    step get Interface eth0 type mtu_request
    step --if-exists get Port eth0 external_ids:missing

    # Expected errors, from ovs-vsctl itself and from the server.
    step del-br nobr
    step add-port nobr eth9
    step add-port br0 eth0
    step --may-exist add-port br0 eth0
    step del-port br0 nope
    step --if-exists del-port br0 nope
    step --if-exists del-br nobr
    step set Bridge br0 nosuchcolumn=1
    step set NoSuchTable br0 a=1
    step get Bridge nobr name
    step get Port eth0 external_ids:missing
    step set Port eth0 tag=bad
    step set Port eth0 tag=5000
    step set Bridge br0 fail_mode=bogus
    step -- --id=@b create Bridge name=br0 -- add Open_vSwitch . bridges @b
    step set Port eth0 qos=11111111-2222-3333-4444-555555555555
    step -- --id=@i create Interface name=orphan -- --id=@p create Port name=orphan interfaces=@i
    step --if-exists get Port orphan name
    step nosuchcommand

    # Fake VLAN bridge.
    step add-br br0.100 br0 100
    step br-to-vlan br0.100
    step br-to-parent br0.100
    step list-br
    step add-port br0.100 vif0
    step get Port vif0 tag fake_bridge
    step get Port br0.100 tag fake_bridge
    step port-to-br vif0
    step list-ports br0.100
    step --may-exist add-br br0.100 br0 100
    step --may-exist add-br br0.100 br0 200
    step add-br br0.200 nobr 200
    step del-br br0.100
    step list-ports br0
    step list-br

    # Bonds and wait-until with conditions that already hold.
    step add-bond br0 bond0 eth1 eth2 lacp=active bond_mode=balance-tcp
    step list-ifaces br0
    step iface-to-br eth1
    step port-to-br bond0
    step get Port bond0 lacp bond_mode bond_fake_iface
    step add-bond br0 bond1 eth3
    step wait-until Port bond0 lacp=active
    step wait-until Bridge br0 name=br0 'external_ids:owner=test'
    step --with-iface --if-exists del-port eth1
    step list-ports br0
    step add-bond br0 bond0 eth1 eth2
    step del-port bond0
    step list-ifaces br0

    # libvirt, current form (virNetDevOpenvswitchAddPort): --may-exist add-port.
    local vm_id="external-ids:vm-id=\"$VM_UUID\"" ifname_id='external-ids:ifname="vnet0"'
    step add-br ovsbr0
    step --timeout=5 -- --may-exist add-port ovsbr0 vnet0 \
        -- set Port vnet0 other_config:transient=true vlan_mode=native-untagged tag=42 \
        -- set Interface vnet0 "external-ids:attached-mac=\"$MAC\"" \
        -- set Interface vnet0 "external-ids:iface-id=\"$IFACE_ID\"" \
        -- set Interface vnet0 "$vm_id" \
        -- set Interface vnet0 external-ids:iface-status=active
    step --timeout=5 -- --may-exist add-port ovsbr0 vnet0 \
        -- set Port vnet0 other_config:transient=true \
        -- set Interface vnet0 "external-ids:attached-mac=\"$MAC\"" \
        -- set Interface vnet0 "external-ids:iface-id=\"$IFACE_ID\"" \
        -- set Interface vnet0 "$vm_id" \
        -- set Interface vnet0 'external-ids:port-profile="prof1"' \
        -- set Interface vnet0 "$ifname_id" \
        -- set Interface vnet0 external-ids:iface-status=active
    step --timeout=5 get Interface vnet0 external_ids
    step --timeout=5 get Port vnet0 other_config tag vlan_mode
    step --timeout=5 iface-to-br vnet0
    step --timeout=5 iface-to-br vnet9
    step --timeout=5 --if-exists --format=list --data=json --no-headings --columns=statistics list Interface vnet0
    step --timeout=5 --if-exists --format=list --data=json --no-headings --columns=statistics list Interface vnet9
    # VLAN update (virNetDevOpenvswitchUpdateVlan); "trunk" abbreviates "trunks".
    step --timeout=5 -- --if-exists clear Port vnet0 tag -- --if-exists clear Port vnet0 trunk \
        -- --if-exists clear Port vnet0 vlan_mode -- --if-exists set Port vnet0 trunk=10,20
    step --timeout=5 get Port vnet0 tag trunks vlan_mode
    # Egress QoS with named rows, then the update path through the found UUIDs.
    step --timeout=5 set port vnet0 qos=@qos1 "$vm_id" "$ifname_id" \
        -- --id=@qos1 create qos type=linux-htb other_config:min-rate=8000000 \
        other_config:burst=8192000 other_config:max-rate=16000000 queues:0=@queue0 "$vm_id" "$ifname_id" \
        -- --id=@queue0 create queue other_config:min-rate=8000000 other_config:burst=8192000 \
        other_config:max-rate=16000000 "$vm_id" "$ifname_id"
    step --timeout=5 --no-heading --columns=_uuid find queue "$vm_id" "$ifname_id"
    local queue_uuid
    queue_uuid=$(<"$step_out")
    step --timeout=5 --no-heading --columns=_uuid find qos "$vm_id" "$ifname_id"
    local qos_uuid
    qos_uuid=$(<"$step_out")
    step --timeout=5 set queue "$queue_uuid" other_config:min-rate=4000000 "$vm_id" "$ifname_id"
    step --timeout=5 set qos "$qos_uuid" other_config:min-rate=4000000 "$vm_id" "$ifname_id"
    step --timeout=5 get qos "$qos_uuid" type other_config queues
    # Ingress policing.
    step --timeout=5 set Interface vnet0 ingress_policing_rate=8000 ingress_policing_burst=800
    step --timeout=5 get Interface vnet0 ingress_policing_rate ingress_policing_burst
    # Migration PortData: old libvirt omits --if-exists, so a missing key fails.
    step --timeout=5 --if-exists get Interface vnet0 external_ids:PortData
    step --timeout=5 get Interface vnet0 external_ids:PortData
    step --timeout=5 set Interface vnet0 'external_ids:PortData=blob-from-source-host'
    step --timeout=5 --if-exists get Interface vnet0 external_ids:PortData
    # vhost-user lookups.
    step --timeout=5 --no-headings --columns=name find Interface options:vhost-server-path=/run/vhu9
    step --timeout=5 get Interface vnet0 name
    # QoS teardown (virNetDevOpenvswitchInterfaceClearTxQos/ClearRxQos).
    step --timeout=5 --no-heading --columns=_uuid --if-exists list port vnet0 qos
    step --timeout=5 remove port vnet0 qos "$qos_uuid"
    step --timeout=5 destroy qos "$qos_uuid"
    step --timeout=5 destroy queue "$queue_uuid"
    step --timeout=5 set Interface vnet0 ingress_policing_rate=0 ingress_policing_burst=0
    step --timeout=5 --no-heading --columns=_uuid find qos "$vm_id"
    # Unplug; the bridge argument of RemovePort is not passed.
    step --timeout=5 -- --if-exists del-port vnet0
    step --timeout=5 -- --if-exists del-port vnet0

    # libvirt, mid-era form: --if-exists del-port IF -- add-port.
    local plug=(--timeout=5 -- --if-exists del-port vnet1 -- add-port ovsbr0 vnet1 tag=7
        -- set Interface vnet1 "external-ids:attached-mac=\"$MAC\""
        -- set Interface vnet1 "external-ids:iface-id=\"$IFACE_ID\""
        -- set Interface vnet1 "$vm_id"
        -- set Interface vnet1 external-ids:iface-status=active)
    step "${plug[@]}"
    step "${plug[@]}"
    step --timeout=5 get Interface vnet1 external_ids
    step --timeout=5 list-ports ovsbr0

    # libvirt, 2012 form: --may-exist add-port with a trunk.
    step --timeout=5 -- --may-exist add-port ovsbr0 vnet2 trunk=100,200 \
        -- set Interface vnet2 "external-ids:attached-mac=\"$MAC\"" \
        -- set Interface vnet2 "external-ids:iface-id=\"$IFACE_ID\"" \
        -- set Interface vnet2 "$vm_id" \
        -- set Interface vnet2 external-ids:iface-status=active
    step --timeout=5 get Port vnet2 trunks
    step --timeout=5 set Interface vnet2 external_ids:PortData=x
    step --timeout=5 get Interface vnet2 external_ids:PortData

    # interface-reconfigure: a physical PIF moved from another bridge, a bond
    # (balance-slb and LACP variants) and a VLAN fake bridge.
    step add-port br0 eth5
    step --timeout=20 -- --with-iface --if-exists del-port eth5 -- --may-exist add-br xenbr0 \
        -- --may-exist add-port xenbr0 eth5 \
        -- set Bridge xenbr0 'other-config:hwaddr="00:16:3e:aa:bb:01"' \
        -- set Bridge xenbr0 fail_mode=standalone \
        -- remove Bridge xenbr0 other_config disable-in-band \
        -- br-set-external-id xenbr0 xs-network-uuids "$XS_NET;$XS_NET2"
    step port-to-br eth5
    step br-get-external-id xenbr0 xs-network-uuids
    step --timeout=20 -- --may-exist add-br xenbr2 \
        -- --with-iface --if-exists del-port bond0 \
        -- --fake-iface add-bond xenbr2 bond0 eth6 eth7 \
        -- set Port bond0 'MAC="00:16:3e:aa:bb:02"' bond_downdelay=200 \
        other-config:bond-miimon-interval=100 bond_updelay=31000 \
        other-config:bond-detect-mode=carrier lacp=off bond_mode=balance-slb \
        -- set Bridge xenbr2 'other-config:hwaddr="00:16:3e:aa:bb:02"' \
        -- set Bridge xenbr2 fail_mode=secure \
        -- set Bridge xenbr2 other_config:disable-in-band=true \
        -- br-set-external-id xenbr2 xs-network-uuids "$XS_NET2"
    step get Port bond0 bond_fake_iface bond_mode lacp bond_updelay bond_downdelay mac other_config
    step --timeout=20 -- --may-exist add-br xenbr3 \
        -- --with-iface --if-exists del-port bond1 \
        -- --fake-iface add-bond xenbr3 bond1 eth8 eth9 \
        -- set Port bond1 bond_downdelay=200 other-config:bond-miimon-interval=100 \
        bond_updelay=31000 other-config:bond-detect-mode=carrier lacp=active bond_mode=balance-tcp
    step get Port bond1 lacp bond_mode
    step --timeout=20 -- --if-exists del-br xapi1 -- --may-exist add-br xapi1 xenbr0 10 \
        -- br-set-external-id xapi1 xs-network-uuids "$XS_NET"
    step --timeout=20 -- --if-exists del-br xapi1 -- --may-exist add-br xapi1 xenbr0 10 \
        -- br-set-external-id xapi1 xs-network-uuids "$XS_NET"
    step br-to-parent xapi1
    step br-to-vlan xapi1
    step --timeout=20 -- --if-exists del-br xenbr3
    step list-br

    # XenServer vif hotplug script: online/add, again (move), remove.
    local vif=(--timeout=30 -- --if-exists del-port vif3.0 -- add-port xenbr0 vif3.0
        -- set interface vif3.0 "external-ids:\"xs-vm-uuid\"=\"$XS_VM\""
        -- set interface vif3.0 "external-ids:\"xs-vif-uuid\"=\"$XS_VIF\""
        -- set interface vif3.0 "external-ids:\"xs-network-uuid\"=\"$XS_NET\""
        -- set interface vif3.0 'external-ids:"attached-mac"="00:16:3e:12:34:56"')
    step "${vif[@]}"
    step --timeout=30 -- --if-exists del-port tap3.0 -- add-port xenbr0 tap3.0
    step "${vif[@]}"
    step get interface vif3.0 external-ids
    step list-ports xenbr0
    step --timeout=30 -- del-port tap3.0
    step --timeout=30 -- del-port vif3.0
    step --timeout=30 -- del-port vif3.0

    # RHEL ifup-ovs / ifdown-ovs (TIMEOUT=10).
    step br-exists ovsbr1
    step -t 10 -- --may-exist add-br ovsbr1 -- set bridge ovsbr1 stp_enable=true \
        -- set bridge ovsbr1 datapath_type=netdev
    step -t 10 -- set bridge ovsbr1 other-config:hwaddr=00:11:22:33:44:66
    step br-exists ovsbr1
    local port=(-t 10 -- --if-exists del-port ovsbr1 eth20 -- add-port ovsbr1 eth20 tag=100
        -- set Interface eth20 external-ids:owner=rhel)
    step "${port[@]}"
    step "${port[@]}"
    step -t 10 -- --if-exists del-port ovsbr1 int0 -- add-port ovsbr1 int0 \
        -- set Interface int0 type=internal
    step -t 10 -- --if-exists del-port ovsbr1 bond2 -- add-bond ovsbr1 bond2 eth21 eth22 \
        bond_mode=active-backup
    step -t 10 -- --if-exists del-port ovsbr1 gre0 -- add-port ovsbr1 gre0 \
        -- set Interface gre0 type=gre options:remote_ip=192.0.2.1
    step -t 10 -- --if-exists del-port ovsbr1 patch0 -- add-port ovsbr1 patch0 \
        -- set Interface patch0 type=patch options:peer=patch1
    step -t 10 -- --if-exists del-port ovsbr1 vhu0 -- add-port ovsbr1 vhu0 \
        -- set Interface vhu0 type=dpdkvhostuserclient options:vhost-server-path=/run/vhu0
    step --timeout=5 --no-headings --columns=name find Interface options:vhost-server-path=/run/vhu0
    step list-ports ovsbr1
    step get Bridge ovsbr1 stp_enable datapath_type other_config
    step -t 10 -- --if-exists del-port ovsbr1 eth20
    step -t 10 -- --if-exists del-port ovsbr1 eth20
    step -t 10 -- --if-exists del-port ovsbr1 gre0
    step list-ports ovsbr1
    step -t 10 -- --if-exists del-br ovsbr1
    step -t 10 -- --if-exists del-br ovsbr1

    step list-br
}

# run_session LABEL SERVER TOOL: run the session against a fresh SERVER and
# leave $work/LABEL.transcript and $work/LABEL.dump.
run_session() {
    local label=$1
    ovsdb_start server_dir "$2" "$3"
    sock=$server_dir/db.sock
    transcript=$work/$label.raw
    : >"$transcript"
    session
    normalize_uuids <"$transcript" >"$work/$label.transcript"
    canonical_dump "$sock" >"$work/$label.dump"
}

run_session reference "$REFERENCE_OVSDB_SERVER" "$REFERENCE_OVSDB_TOOL"
run_session tested "$OVSDB_SERVER" "$OVSDB_TOOL"

# Compare step by step (one csplit piece per step), then the dumps.
passed=0
failed=0
for label in reference tested; do
    csplit --quiet --elide-empty-files --prefix="$work/$label.step." --digits=3 \
        "$work/$label.transcript" '/^=== /' '{*}'
done
for ref in "$work"/reference.step.*; do
    if cmp -s "$ref" "${ref/reference.step/tested.step}"; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
    fi
done
if ! diff -u --label reference --label tested "$work/reference.transcript" "$work/tested.transcript"; then
    echo "transcripts differ" >&2
fi
if diff -u --label reference-dump --label tested-dump "$work/reference.dump" "$work/tested.dump"; then
    passed=$((passed + 1))
else
    failed=$((failed + 1))
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
