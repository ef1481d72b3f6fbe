package dev.flick.hub.servers;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import dev.flick.hub.net.AddressClass;

import org.springframework.stereotype.Component;

/**
 * Where an SSH server may point. Loopback, link-local, unspecified, multicast, cloud-metadata addresses and the
 * hub's own addresses are refused, checked on every address a name resolves to, unless allowed hub-wide
 * ({@code FLICK_SSH_ALLOW_LOOPBACK}, for test setups) or by an admin for one server. Private LAN addresses are the
 * normal case and stay allowed. The collector connects to the address vetted here, never to the name, so a DNS
 * answer that changes between check and connect cannot slip through.
 */
@Component
public class SshAddresses {

    /** Why a target is refused; the message names the address class, never anything the target sent. */
    public static final class Refused extends Exception {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    private final boolean allowHubWide;

    SshAddresses(SshTargetSettings settings) {
        this.allowHubWide = settings.allowLoopback();
    }

    /**
     * Resolves the host (a literal address resolves to itself) and checks every address it has.
     *
     * @param allowedForServer an admin allowed this server to point at a refused address
     * @return the address to connect to: literal, so no second lookup can happen
     * @throws UnknownHostException when the name does not resolve
     * @throws Refused when any address is refused
     */
    public InetSocketAddress vet(String host, int port, boolean allowedForServer) throws UnknownHostException, Refused {
        return vet(host, port, allowedForServer, "SSH servers");
    }

    /**
     * The same check for another kind of target ({@code what}: "SSH servers", "node_exporter URLs"): one guard, one
     * hub-wide allowance ({@code FLICK_SSH_ALLOW_LOOPBACK}) for every place the hub connects to on a user's word.
     */
    public InetSocketAddress vet(String host, int port, boolean allowedForServer, String what) throws UnknownHostException, Refused {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        InetAddress[] all = InetAddress.getAllByName(h);
        if (!allowHubWide && !allowedForServer) {
            Set<InetAddress> own = hubAddresses();
            for (InetAddress a : all) {
                Optional<String> why = refusal(a, own);
                if (why.isPresent()) {
                    throw new Refused(h + " resolves to " + a.getHostAddress() + ", " + why.get()
                            + "; " + what + " may not point there unless an admin allows it for this server");
                }
            }
        }
        return new InetSocketAddress(InetAddress.getByAddress(all[0].getAddress()), port);
    }

    /** Kinds no SSH server may point at without an admin's word; LAN (private) and public addresses may be used. */
    private static final java.util.EnumSet<AddressClass> REFUSED = java.util.EnumSet.of(AddressClass.UNSPECIFIED,
            AddressClass.LOOPBACK, AddressClass.MULTICAST, AddressClass.METADATA, AddressClass.LINK_LOCAL, AddressClass.RESERVED);

    /** Why an address is refused, or empty when an SSH server may point at it. */
    static Optional<String> refusal(InetAddress a, Set<InetAddress> hubAddresses) {
        AddressClass kind = AddressClass.of(a);
        if (REFUSED.contains(kind)) return Optional.of(kind.description);
        if (hubAddresses.contains(withoutScope(a))) return Optional.of("one of the hub's own addresses");
        return Optional.empty();
    }

    /** Every address of every interface of this host, read on each check (interfaces and DHCP leases change). */
    static Set<InetAddress> hubAddresses() {
        Set<InetAddress> own = new HashSet<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress a : Collections.list(nic.getInetAddresses())) own.add(withoutScope(a));
            }
        } catch (SocketException e) {
            // no interface list: loopback and link-local are still refused by class
        }
        return own;
    }

    private static InetAddress withoutScope(InetAddress a) {
        try {
            return InetAddress.getByAddress(a.getAddress());
        } catch (UnknownHostException impossible) {
            return a;
        }
    }
}
