package dev.flick.hub.servers;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.Collections;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The address classes alone: literals only, so nothing here resolves a name or opens a connection. */
class SshAddressesTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            127.0.0.1        | loopback
            127.8.9.10       | loopback
            ::1              | loopback
            ::ffff:127.0.0.1 | loopback
            169.254.169.254  | metadata
            fd00:ec2::254    | metadata
            ::ffff:169.254.169.254 | metadata
            169.254.10.20    | link-local
            fe80::1          | link-local
            0.0.0.0          | unspecified
            ::               | unspecified
            224.0.0.251      | multicast
            """)
    void refusesLoopbackLinkLocalMetadataAndThisHost(String literal, String why) throws Exception {
        assertThat(SshAddresses.refusal(InetAddress.getByName(literal), Set.of())).hasValueSatisfying(r -> assertThat(r).contains(why));
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.1.2.3", "172.16.5.4", "192.168.1.20", "100.64.0.7", "fd12:3456::1", "203.0.113.9"})
    void allowsLanAndPublicAddresses(String literal) throws Exception {
        assertThat(SshAddresses.refusal(InetAddress.getByName(literal), Set.of())).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"192.168.1.20", "10.0.0.5"})
    void refusesTheHubsOwnAddresses(String literal) throws Exception {
        InetAddress own = InetAddress.getByName(literal);
        assertThat(SshAddresses.refusal(own, Set.of(own))).hasValueSatisfying(r -> assertThat(r).contains("hub's own"));
    }

    /** This machine's own addresses are refused as they are read from its interfaces: checked without connecting. */
    @Test
    void refusesEveryAddressOfThisMachinesInterfaces() throws Exception {
        Set<InetAddress> own = SshAddresses.hubAddresses();
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                if (!(a instanceof Inet4Address) || a.isLoopbackAddress() || a.isLinkLocalAddress()) continue;
                assertThat(SshAddresses.refusal(a, own)).as(a.toString()).hasValueSatisfying(r -> assertThat(r).contains("hub's own"));
            }
        }
    }
}
