package io.autobus.net;

/**
 * Whether addresses a customer chooses (database URLs, webhooks) may be on this machine or a
 * private network ({@code AUTOBUS_PRIVATE_NETWORKS}): {@code deny} on Heroku, {@code allow} on a
 * laptop that backs up its own local databases.
 */
public enum PrivateNetworks {
    ALLOW,
    DENY
}
