package dev.flick.hub.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * What kind of address an IP address is, for the guards that decide where the hub may connect on a user's word
 * (webhooks: public only; SSH targets: no loopback, link-local, metadata…). IPv4 inside IPv6 (mapped, compatible,
 * NAT64) is classed as the IPv4 address it carries, so no spelling of 127.0.0.1 slips through.
 */
public enum AddressClass {
    UNSPECIFIED("an unspecified address (this host)"),
    LOOPBACK("a loopback address"),
    MULTICAST("a multicast address"),
    METADATA("a cloud metadata address"),
    LINK_LOCAL("a link-local address"),
    RESERVED("a reserved address"),
    PRIVATE("a private address"),
    CARRIER_NAT("a carrier-grade NAT address"),
    BENCHMARKING("a private (benchmarking) address"),
    UNIQUE_LOCAL("a private (unique local) address"),
    SITE_LOCAL("a private (site-local) address"),
    PUBLIC("a public address");

    /** Readable for a problem body or a status message: "a loopback address". */
    public final String description;

    AddressClass(String description) {
        this.description = description;
    }

    private static final byte[] AWS_METADATA_V6 = {(byte) 0xfd, 0, 0x0e, (byte) 0xc2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x54};

    public static AddressClass of(InetAddress a) {
        byte[] b = a.getAddress();
        if (a instanceof Inet6Address) {
            if (Arrays.equals(b, AWS_METADATA_V6)) return METADATA;
            byte[] v4 = embeddedV4(b);
            if (v4 != null) {
                try {
                    return of(InetAddress.getByAddress(v4));
                } catch (UnknownHostException impossible) {
                    return RESERVED;
                }
            }
        }
        if (a.isAnyLocalAddress()) return UNSPECIFIED;
        if (a.isLoopbackAddress()) return LOOPBACK;
        if (a.isMulticastAddress()) return MULTICAST;
        if (a instanceof Inet4Address) {
            int b0 = b[0] & 0xff;
            int b1 = b[1] & 0xff;
            if (b0 == 169 && b1 == 254 && (b[2] & 0xff) == 169 && (b[3] & 0xff) == 254) return METADATA;
            if (a.isLinkLocalAddress()) return LINK_LOCAL;
            if (b0 == 0) return UNSPECIFIED;
            if (b0 >= 240) return RESERVED;
            if (b0 == 10 || (b0 == 172 && (b1 & 0xf0) == 16) || (b0 == 192 && b1 == 168)) return PRIVATE;
            if (b0 == 100 && (b1 & 0xc0) == 64) return CARRIER_NAT;
            if (b0 == 198 && (b1 & 0xfe) == 18) return BENCHMARKING;
            return PUBLIC;
        }
        if (a.isLinkLocalAddress()) return LINK_LOCAL;
        if ((b[0] & 0xfe) == 0xfc) return UNIQUE_LOCAL;
        if (a.isSiteLocalAddress()) return SITE_LOCAL;
        return PUBLIC;
    }

    /** The IPv4 address inside an IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible or NAT64 (64:ff9b::/96) address. */
    private static byte[] embeddedV4(byte[] b) {
        boolean zeros = true;
        for (int i = 0; i < 10; i++) zeros &= b[i] == 0;
        boolean mapped = zeros && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
        boolean compatible = zeros && b[10] == 0 && b[11] == 0 && (b[12] | b[13] | b[14]) != 0;
        boolean nat64 = b[0] == 0 && b[1] == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b;
        for (int i = 4; nat64 && i < 12; i++) nat64 = b[i] == 0;
        if (!mapped && !compatible && !nat64) return null;
        return new byte[] {b[12], b[13], b[14], b[15]};
    }
}
