package dev.flick.hub.edge;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/** A list of addresses and CIDR blocks (IPv4 and IPv6), parsed once; {@link #contains} takes literal addresses only. */
record AddressBlocks(List<Block> blocks) {

    record Block(byte[] network, int prefix) {
        boolean contains(byte[] address) {
            if (address.length != network.length) return false;
            int full = prefix / 8;
            for (int i = 0; i < full; i++) if (address[i] != network[i]) return false;
            int rest = prefix % 8;
            if (rest == 0) return true;
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[full] & mask) == (network[full] & mask);
        }
    }

    /** @throws IllegalArgumentException naming the entry that is not an address or block */
    static AddressBlocks parse(String variable, String list) {
        List<Block> blocks = new ArrayList<>();
        if (list == null) return new AddressBlocks(blocks);
        for (String raw : list.split(",")) {
            String entry = raw.strip();
            if (entry.isEmpty()) continue;
            int slash = entry.indexOf('/');
            byte[] network = literal(slash < 0 ? entry : entry.substring(0, slash));
            if (network == null) throw new IllegalArgumentException(variable + ": \"" + entry + "\" is not an IP address or CIDR block");
            int prefix = network.length * 8;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(entry.substring(slash + 1));
                } catch (NumberFormatException e) {
                    prefix = -1;
                }
                if (prefix < 0 || prefix > network.length * 8)
                    throw new IllegalArgumentException(variable + ": \"" + entry + "\" has an invalid prefix length");
            }
            blocks.add(new Block(network, prefix));
        }
        return new AddressBlocks(List.copyOf(blocks));
    }

    boolean contains(String address) {
        byte[] a = literal(address);
        if (a == null) return false;
        for (Block b : blocks) if (b.contains(a)) return true;
        return false;
    }

    /** The bytes of a literal IPv4 or IPv6 address (brackets allowed); null for anything else, without DNS. */
    static byte[] literal(String s) {
        if (s == null) return null;
        String t = s.strip();
        if (t.startsWith("[") && t.endsWith("]")) t = t.substring(1, t.length() - 1);
        int zone = t.indexOf('%');
        if (zone >= 0) t = t.substring(0, zone);
        if (t.isEmpty()) return null;
        boolean v4 = t.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9')) && t.chars().filter(c -> c == '.').count() == 3;
        boolean v6 = t.indexOf(':') >= 0 && t.chars().allMatch(c -> c == ':' || c == '.' || Character.digit(c, 16) >= 0);
        if (!v4 && !v6) return null;
        try {
            return InetAddress.getByName(t).getAddress(); // a literal: no lookup happens
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
