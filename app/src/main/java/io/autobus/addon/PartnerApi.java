package io.autobus.addon;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.autobus.http.JsonBodies;
import io.javalin.http.Context;
import io.javalin.http.GoneResponse;
import io.javalin.http.NotFoundResponse;
import io.javalin.http.UnprocessableContentResponse;
import java.net.URI;
import java.util.Map;
import java.util.UUID;

/** Heroku's add-on partner API: provision, change plan, deprovision. */
public final class PartnerApi {
    private final JsonBodies bodies;
    private final AddonProvisioner provisioner;
    private final PlanChanger planChanger;
    private final AddonDeprovisioner deprovisioner;
    private final URI publicUrl;
    private final String collaboratorEmail;

    public PartnerApi(JsonBodies bodies, AddonProvisioner provisioner, PlanChanger planChanger,
                      AddonDeprovisioner deprovisioner, URI publicUrl, String collaboratorEmail) {
        this.bodies = bodies;
        this.provisioner = provisioner;
        this.planChanger = planChanger;
        this.deprovisioner = deprovisioner;
        this.publicUrl = publicUrl;
        this.collaboratorEmail = collaboratorEmail;
    }

    /** The answers, as records so that repeated requests get byte-identical bodies. */
    record ProvisionAnswer(String id, Map<String, String> config, String message) {
    }

    record PlanChangeAnswer(Map<String, String> config, String message) {
    }

    /**
     * Heroku's provision request, as far as Autobus reads it; Heroku sends more ({@code options},
     * {@code log_input_url}, {@code oauth_grant.expires_at}, ...), which is ignored.
     */
    record ProvisionRequest(@JsonProperty("uuid") String uuid, @JsonProperty("name") String name, @JsonProperty("plan") String plan,
                            @JsonProperty("region") String region, @JsonProperty("callback_url") String callbackUrl,
                            @JsonProperty("oauth_grant") OauthGrant oauthGrant) {
        ProvisionRequest {
            addonId(required(uuid, "uuid"));
            planNamed(required(plan, "plan"));
            required(region, "region");
            if (oauthGrant == null) {
                throw new UnprocessableContentResponse("oauth_grant is required.");
            }
        }

        Provisioning provisioning() {
            return new Provisioning(addonId(uuid), name, planNamed(plan), region, callbackUrl, oauthGrant.code());
        }
    }

    record OauthGrant(@JsonProperty("code") String code) {
        OauthGrant {
            required(code, "oauth_grant.code");
        }
    }

    /** Heroku's plan change request: the new plan (and more, which is ignored). */
    record PlanChange(@JsonProperty("plan") String plan) {
        PlanChange {
            planNamed(required(plan, "plan"));
        }
    }

    /** {@code POST /heroku/resources} */
    public void provision(Context ctx) {
        var request = bodies.bindIgnoringUnknown(bodies.object(ctx), ProvisionRequest.class);
        var provisioned = provisioner.provision(request.provisioning());
        ctx.json(new ProvisionAnswer(provisioned.id().toString(),
                Map.of("AUTOBUS_URL", apiUrl(provisioned.apiKey())),
                "Autobus is almost ready. Add " + collaboratorEmail + " as a collaborator of your app "
                        + "(Heroku Dashboard, Access tab) so that Autobus can find your databases, then run: heroku addons:open autobus"));
    }

    /** {@code PUT /heroku/resources/{id}} */
    public void changePlan(Context ctx) {
        UUID id = pathId(ctx);
        Plan plan = planNamed(bodies.bindIgnoringUnknown(bodies.object(ctx), PlanChange.class).plan());
        if (!planChanger.change(id, plan)) {
            throw new NotFoundResponse("No Autobus add-on " + id + ".");
        }
        ctx.json(new PlanChangeAnswer(Map.of(), "Your Autobus plan is now " + plan.slug() + "."));
    }

    /** {@code DELETE /heroku/resources/{id}} */
    public void deprovision(Context ctx) {
        UUID id = pathId(ctx);
        switch (deprovisioner.deprovision(id)) {
            case REMOVED -> ctx.status(204);
            case ALREADY_REMOVED -> throw new GoneResponse("Autobus add-on " + id + " was already removed.");
            case UNKNOWN -> throw new NotFoundResponse("No Autobus add-on " + id + ".");
        }
    }

    /** The add-on's AUTOBUS_URL: our base URL with its API key as user-info. */
    private String apiUrl(String apiKey) {
        String port = publicUrl.getPort() > 0 ? ":" + publicUrl.getPort() : "";
        return publicUrl.getScheme() + "://addon:" + apiKey + "@" + publicUrl.getHost() + port + "/";
    }

    /** An id in the path that is not a UUID names no add-on: 404, like any unknown one. */
    private static UUID pathId(Context ctx) {
        try {
            return UUID.fromString(ctx.pathParam("id"));
        } catch (IllegalArgumentException e) {
            throw new NotFoundResponse("No Autobus add-on " + ctx.pathParam("id") + ".");
        }
    }

    private static UUID addonId(String value) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw new UnprocessableContentResponse("'" + value + "' is not a UUID.");
        }
    }

    private static Plan planNamed(String name) {
        return Plan.named(name).orElseThrow(() ->
                new UnprocessableContentResponse("Autobus has no plan '" + name + "'. Plans: " + Plan.names() + "."));
    }

    private static String required(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new UnprocessableContentResponse(field + " is required and must be a non-empty string.");
        }
        return value;
    }
}
