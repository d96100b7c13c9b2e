package io.autobus.addon;

import java.util.UUID;

/**
 * What Heroku asks for when it provisions an add-on.
 *
 * @param id             Heroku's uuid of the add-on resource
 * @param region         e.g. {@code amazon-web-services::us-east-1}
 * @param oauthGrantCode the single-use code exchanged for the partner token
 */
public record Provisioning(UUID id, String name, Plan plan, String region, String callbackUrl, String oauthGrantCode) {
}
