package io.autobus.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.autobus.net.CustomerAddresses.AddressNotAllowedException;
import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The rule classifies; nothing here connects (IP literals are parsed, "localhost" comes from /etc/hosts). */
class CustomerAddressesTest {
    private final CustomerAddresses deny = new CustomerAddresses(PrivateNetworks.DENY);
    private final CustomerAddresses allow = new CustomerAddresses(PrivateNetworks.ALLOW);

    @ParameterizedTest
    @ValueSource(strings = {
            "169.254.169.254", "169.254.0.1",                                 // link-local, cloud metadata
            "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1",        // private
            "100.64.0.1", "100.127.255.255",                                  // carrier-grade NAT
            "127.0.0.1", "127.8.9.10", "::1", "[::1]", "localhost",           // this machine
            "0.0.0.0", "0.1.2.3", "::",                                       // unspecified, "this network"
            "224.0.0.1", "239.255.255.250", "ff02::1", "ff0e::1",            // multicast
            "255.255.255.255", "240.0.0.1",                                   // broadcast, reserved
            "fc00::1", "fd12::1", "fe80::1", "febf::1", "fec0::1",            // unique local, link-local, site-local
            "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254", // IPv4-mapped
            "::127.0.0.1", "::10.0.0.1",                                      // IPv4-compatible
            "64:ff9b::7f00:1", "64:ff9b::a9fe:a9fe", "2002:7f00:1::1", "2002:c0a8:101::1"}) // NAT64, 6to4
    void under_deny_a_host_on_this_machine_or_a_private_network_is_refused_with_one_message(String host) throws Exception {
        assertThatThrownBy(() -> deny.resolve(host))
                .isInstanceOf(AddressNotAllowedException.class)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("address not allowed: " + host.replace("[", "").replace("]", "")
                        + " is on a private network (AUTOBUS_PRIVATE_NETWORKS=deny)");
        assertThatThrownBy(() -> deny.refuseForbidden(host)).isInstanceOf(AddressNotAllowedException.class);
        assertThat(allow.resolve(host)).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "1.1.1.1", "100.63.255.255", "100.128.0.1", "172.15.255.255", "172.32.0.1",
            "169.253.255.255", "192.167.1.1", "223.255.255.255", "2001:4860::8888", "[2001:4860::8888]",
            "2606:4700::1111", "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1"})
    void public_addresses_pass_under_deny_and_allow_and_come_back_as_the_address_to_connect_to(String host) throws Exception {
        InetAddress expected = InetAddress.getByName(host.replace("[", "").replace("]", ""));

        assertThat(deny.resolve(host)).isEqualTo(expected);
        assertThat(allow.resolve(host)).isEqualTo(expected);
        deny.refuseForbidden(host);
    }

    @Test
    void a_host_with_one_forbidden_address_among_public_ones_is_refused() throws Exception {
        var mixed = new CustomerAddresses(PrivateNetworks.DENY, host -> new InetAddress[] {
                InetAddress.getByName("8.8.8.8"), InetAddress.getByName("10.0.0.1")});

        assertThatThrownBy(() -> mixed.resolveAll("db.example.com"))
                .hasMessage("address not allowed: db.example.com is on a private network (AUTOBUS_PRIVATE_NETWORKS=deny)");
    }

    @Test
    void a_host_is_resolved_once_and_the_checked_address_is_the_one_handed_back() throws Exception {
        var lookups = new AtomicInteger();
        // A rebinding DNS: a public address first, this machine afterwards.
        var rebinding = new CustomerAddresses(PrivateNetworks.DENY, host -> new InetAddress[] {
                InetAddress.getByName(lookups.getAndIncrement() == 0 ? "8.8.8.8" : "127.0.0.1")});

        InetAddress address = rebinding.resolve("rebind.example.com");

        assertThat(address.getHostAddress()).isEqualTo("8.8.8.8");
        assertThat(lookups).hasValue(1);
        assertThatThrownBy(() -> rebinding.resolve("rebind.example.com")).isInstanceOf(AddressNotAllowedException.class);
    }

    @Test
    void a_host_that_does_not_resolve_yet_may_be_saved_and_fails_when_used() {
        var nowhere = new CustomerAddresses(PrivateNetworks.DENY, host -> {
            throw new java.net.UnknownHostException(host);
        });

        nowhere.refuseForbidden("not-yet.example.com");
        assertThatThrownBy(() -> nowhere.resolve("not-yet.example.com")).isInstanceOf(java.net.UnknownHostException.class);
    }

    @Test
    void addresses_are_written_for_urls_with_ipv6_in_brackets() throws Exception {
        assertThat(CustomerAddresses.urlHost(InetAddress.getByName("10.0.0.1"))).isEqualTo("10.0.0.1");
        assertThat(CustomerAddresses.urlHost(InetAddress.getByName("::1"))).isEqualTo("[0:0:0:0:0:0:0:1]");
    }
}
