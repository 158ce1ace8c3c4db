package dev.apikeys.query.verify;

import dev.apikeys.runtime.network.Cidr;
import java.net.InetAddress;
import java.util.List;

/** Whether a key's network restriction admits the caller's address. */
final class Networks {

    private Networks() {
    }

    /**
     * @param allowedCidrs null for anywhere
     * @param clientIp null when the caller did not say
     */
    static boolean admit(List<String> allowedCidrs, InetAddress clientIp) {
        if (allowedCidrs == null) {
            return true;
        }
        if (clientIp == null) {
            return false;
        }
        for (String cidr : allowedCidrs) {
            if (Cidr.parse(cidr).contains(clientIp)) {
                return true;
            }
        }
        return false;
    }
}
