package dev.apikeys.runtime.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {

    @ParameterizedTest
    @CsvSource({
            "10.0.0.0/8, 10.255.3.4, true",
            "10.0.0.0/8, 11.0.0.1, false",
            "10.1.2.3/8, 10.9.9.9, true",
            "192.168.1.7, 192.168.1.7, true",
            "192.168.1.7, 192.168.1.8, false",
            "192.168.0.0/23, 192.168.1.255, true",
            "192.168.0.0/23, 192.168.2.0, false",
            "0.0.0.0/0, 8.8.8.8, true",
            "0.0.0.0/0, ::1, false",
            "2001:db8::/32, 2001:db8:ffff::1, true",
            "2001:db8::/32, 2001:db9::1, false",
            "::1, ::1, true",
            "::/0, 2001:db8::1, true",
            "fe80::/10, febf::1, true",
            "fe80::/10, fec0::1, false",
            "10.0.0.0/8, ::ffff:10.1.1.1, true"})
    void containsTheAddressesItsPrefixCovers(String cidr, String address, boolean contained) {
        assertThat(Cidr.parse(cidr).contains(IpAddresses.parse(address))).isEqualTo(contained);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "localhost", "example.com", "10.0.0", "10.0.0.256", "10.0.0.0/33", "10.0.0.0/-1",
            "10.0.0.0/", "10.0.0.0/8/8", "::/129", "1::2::3", "fe80::1%eth0", "010.0.0.1", " 10.0.0.1"})
    void refusesWhatIsNotAnAddressWithAPrefixLengthItsFamilyAllows(String written) {
        assertThatThrownBy(() -> Cidr.parse(written)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("must be an IPv4 or IPv6 address");
    }
}
