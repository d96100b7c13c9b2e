package io.autobus.net;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * The rule for hosts a customer chooses (database URLs, webhook URLs). Under
 * {@code AUTOBUS_PRIVATE_NETWORKS=deny} a host that resolves to this machine, a private or
 * link-local network, multicast, an unspecified or reserved address (or an IPv6 form of one of
 * those) is refused before anything connects, with one message whatever the port. A host is
 * resolved once and its addresses are handed back: callers connect to exactly those, so DNS
 * cannot answer differently between the check and the connection. Our own services (metadata
 * database, verification servers, S3, SMTP, Heroku) are not customer addresses.
 */
public final class CustomerAddresses {
    /** Resolves a host name or IP literal; IP literals are parsed, never looked up. */
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** A host the rule refuses; an {@link IllegalArgumentException} so forms show its message as it is. */
    public static final class AddressNotAllowedException extends IllegalArgumentException {
        AddressNotAllowedException(String host) {
            super("address not allowed: " + host + " is on a private network (AUTOBUS_PRIVATE_NETWORKS=deny)");
        }
    }

    private final PrivateNetworks privateNetworks;
    private final Resolver resolver;

    public CustomerAddresses(PrivateNetworks privateNetworks) {
        this(privateNetworks, InetAddress::getAllByName);
    }

    public CustomerAddresses(PrivateNetworks privateNetworks, Resolver resolver) {
        this.privateNetworks = privateNetworks;
        this.resolver = resolver;
    }

    public boolean denyPrivate() {
        return privateNetworks == PrivateNetworks.DENY;
    }

    /**
     * Every address of {@code host} (a name, an IP literal, or {@code [v6]} as URLs write it),
     * resolved once, in the resolver's order.
     *
     * @throws AddressNotAllowedException under deny when any of them is forbidden
     */
    public List<InetAddress> resolveAll(String host) throws UnknownHostException {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (bare.isEmpty()) {
            throw new UnknownHostException("no host");
        }
        var addresses = List.of(resolver.resolve(bare));
        if (addresses.isEmpty()) {
            throw new UnknownHostException(host);
        }
        if (denyPrivate() && addresses.stream().anyMatch(CustomerAddresses::forbidden)) {
            throw new AddressNotAllowedException(bare);
        }
        return addresses;
    }

    /** The address to connect to: the first of {@link #resolveAll}. */
    public InetAddress resolve(String host) throws UnknownHostException {
        return resolveAll(host).getFirst();
    }

    /**
     * When a customer saves a host (attaching a database, setting a webhook): refuses it at once
     * under deny. A host that does not resolve yet is let through; it is checked again before each use.
     */
    public void refuseForbidden(String host) {
        if (denyPrivate()) {
            try {
                resolveAll(host);
            } catch (UnknownHostException ignored) {
                // checked again when it is used
            }
        }
    }

    /** The address as a URL's host: an IPv6 literal in brackets. */
    public static String urlHost(InetAddress address) {
        return address instanceof Inet6Address ? "[" + address.getHostAddress() + "]" : address.getHostAddress();
    }

    /** Not a public unicast address: what {@code deny} refuses. */
    static boolean forbidden(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] b = address.getAddress();
        if (b.length == 4) {
            return forbiddenIpv4(b, 0);
        }
        if ((b[0] & 0xfe) == 0xfc) {
            return true; // fc00::/7, unique local
        }
        if (zeros(b, 0, 10) && (b[10] & b[11] & 0xff) == 0xff || zeros(b, 0, 12)) {
            return forbiddenIpv4(b, 12); // ::ffff:a.b.c.d (mapped), ::a.b.c.d (compatible)
        }
        if (b[0] == 0x00 && b[1] == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b && zeros(b, 4, 12)) {
            return forbiddenIpv4(b, 12); // 64:ff9b::a.b.c.d, NAT64
        }
        if (b[0] == 0x20 && b[1] == 0x02) {
            return forbiddenIpv4(b, 2); // 2002:aabb:ccdd::, 6to4
        }
        return false;
    }

    private static boolean forbiddenIpv4(byte[] b, int at) {
        int first = b[at] & 0xff;
        int second = b[at + 1] & 0xff;
        return first == 0                                   // "this network", 0.0.0.0
                || first == 10                              // private
                || first == 100 && (second & 0xc0) == 64   // 100.64/10, carrier-grade NAT
                || first == 127                             // loopback
                || first == 169 && second == 254            // link-local, cloud metadata
                || first == 172 && (second & 0xf0) == 16   // private
                || first == 192 && second == 168            // private
                || first >= 224;                            // multicast, reserved, broadcast
    }

    private static boolean zeros(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
