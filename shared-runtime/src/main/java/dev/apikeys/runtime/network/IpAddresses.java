package dev.apikeys.runtime.network;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * IP address literals, read without a name lookup: {@link InetAddress#getByName} resolves anything
 * that is not a literal, so only what looks like one reaches it.
 */
public final class IpAddresses {

    private static final Pattern IPV4 = Pattern.compile(
            "^((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)$");
    /** Hex groups and colons, an embedded IPv4 tail allowed; no zone (%eth0), which names a host's interface. */
    private static final Pattern IPV6 = Pattern.compile("^[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*$");

    private IpAddresses() {
    }

    /**
     * @return the address the literal writes
     * @throws IllegalArgumentException when it is not an IPv4 or IPv6 address literal
     */
    public static InetAddress parse(String literal) {
        if (literal.length() > 45 || !IPV4.matcher(literal).matches() && !IPV6.matcher(literal).matches()) {
            throw new IllegalArgumentException("must be an IPv4 or IPv6 address");
        }
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("must be an IPv4 or IPv6 address");
        }
    }
}
