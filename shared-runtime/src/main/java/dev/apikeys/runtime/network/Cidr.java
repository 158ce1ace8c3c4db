package dev.apikeys.runtime.network;

import java.net.InetAddress;

/**
 * A network: an address and how many of its leading bits a member shares. An IPv4-mapped IPv6
 * address (::ffff:a.b.c.d) is the IPv4 address it maps, as Java reads it.
 */
public record Cidr(byte[] network, int prefixLength) {

    /**
     * @param written {@code address/prefix}, or a bare address for that one host
     * @throws IllegalArgumentException saying what is wrong with it
     */
    public static Cidr parse(String written) {
        int slash = written.indexOf('/');
        byte[] address = IpAddresses.parse(slash < 0 ? written : written.substring(0, slash)).getAddress();
        int bits = address.length * 8;
        if (slash < 0) {
            return new Cidr(address, bits);
        }
        String prefix = written.substring(slash + 1);
        if (!prefix.matches("^(0|[1-9]\\d{0,2})$") || Integer.parseInt(prefix) > bits) {
            throw new IllegalArgumentException("must be an IPv4 or IPv6 address with a prefix length of 0 to " + bits);
        }
        return new Cidr(address, Integer.parseInt(prefix));
    }

    public boolean contains(InetAddress address) {
        byte[] candidate = address.getAddress();
        if (candidate.length != network.length) {
            return false;
        }
        int whole = prefixLength / 8;
        for (int i = 0; i < whole; i++) {
            if (candidate[i] != network[i]) {
                return false;
            }
        }
        int rest = prefixLength % 8;
        if (rest == 0) {
            return true;
        }
        int mask = 0xFF << (8 - rest) & 0xFF;
        return (candidate[whole] & mask) == (network[whole] & mask);
    }
}
