package dev.flick.hub.notify;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.flick.hub.net.AddressClass;

import org.apache.hc.client5.http.DnsResolver;

/**
 * Where a webhook may not go unless an admin allowed it: loopback, private, link-local, carrier-grade NAT,
 * multicast, unspecified and cloud-metadata addresses. Checked on the resolved addresses, and the HTTP client
 * connects to exactly the addresses checked here, so a DNS answer that changes between check and connect
 * (rebinding) cannot slip through.
 */
final class WebhookAddresses {

    private WebhookAddresses() {}

    /** Why an address is refused, or empty when a webhook may reach it: only public addresses may be. */
    static Optional<String> refusal(InetAddress a) {
        AddressClass kind = AddressClass.of(a);
        return kind == AddressClass.PUBLIC ? Optional.empty() : Optional.of(kind.description);
    }

    /** Thrown when a host resolves to a refused address; its message is safe to show and store. */
    static final class Refused extends UnknownHostException {
        Refused(String message) {
            super(message);
        }
    }

    /** Resolves through the system resolver and refuses the whole host if any of its addresses is refused. */
    static final class GuardedResolver implements DnsResolver {

        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
            InetAddress[] all = InetAddress.getAllByName(h);
            for (InetAddress a : all) {
                Optional<String> why = refusal(a);
                if (why.isPresent()) {
                    throw new Refused("refused: " + h + " resolves to " + a.getHostAddress() + ", " + why.get()
                            + " (an admin may allow private targets for this channel)");
                }
            }
            return all;
        }

        @Override
        public List<InetSocketAddress> resolve(String host, int port) throws UnknownHostException {
            List<InetSocketAddress> out = new ArrayList<>();
            for (InetAddress a : resolve(host)) out.add(new InetSocketAddress(a, port));
            return out;
        }

        @Override
        public String resolveCanonicalHostname(String host) throws UnknownHostException {
            return resolve(host)[0].getCanonicalHostName();
        }
    }
}
