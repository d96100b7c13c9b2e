package io.autobus;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.autobus.addon.AccessCheckQueue;
import io.autobus.addon.AccessChecker;
import io.autobus.addon.AddonDeprovisioner;
import io.autobus.addon.AddonProvisioner;
import io.autobus.addon.AddonRepository;
import io.autobus.addon.CheckAccessJobHandler;
import io.autobus.addon.DatabaseFinder;
import io.autobus.addon.DispatchAccessChecksJob;
import io.autobus.addon.DispatchAccessChecksJobHandler;
import io.autobus.addon.PlanChanger;
import io.autobus.config.Settings;
import io.autobus.crypto.SecretBox;
import io.autobus.db.MetadataDatabase;
import io.autobus.heroku.HerokuClients;
import io.autobus.heroku.PartnerApi;
import io.autobus.heroku.PartnerAuth;
import io.autobus.heroku.PartnerTokenProvider;
import io.autobus.heroku.SsoLogin;
import io.autobus.heroku.SsoTokenVerifier;
import io.autobus.http.ErrorResponses;
import io.autobus.http.JsonBodies;
import io.autobus.http.RequestLimits;
import io.autobus.jobs.Jobs;
import io.autobus.web.Dashboard;
import io.autobus.web.Pages;
import io.autobus.web.WebSessions;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/** Wires the service top-down: settings, metadata store, clients, services, jobs, routes. */
public final class App implements AutoCloseable {
    private final MetadataDatabase database;
    private final Jobs jobs;
    private final Javalin web;
    private final AccessChecker accessChecker;

    private App(MetadataDatabase database, Jobs jobs, Javalin web, AccessChecker accessChecker) {
        this.database = database;
        this.jobs = jobs;
        this.web = web;
        this.accessChecker = accessChecker;
    }

    public static App start(Settings settings, Clock clock, Set<Role> roles) {
        var json = new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        var database = MetadataDatabase.open(settings);
        var dsl = database.dsl();
        var secrets = new SecretBox(settings.secretKey());
        var heroku = HerokuClients.create(settings, json);
        var jobs = Jobs.configure(database.dataSource(), roles.contains(Role.WORKER));

        var addons = new AddonRepository(dsl);
        var partnerTokens = new PartnerTokenProvider(dsl, heroku.identity(), secrets, clock);
        var accessChecks = new AccessCheckQueue(jobs.scheduler());
        var accessChecker = new AccessChecker(addons, partnerTokens, heroku.platform(), new DatabaseFinder(),
                settings.herokuApiKey(), settings.collaboratorEmail(), clock);

        jobs.start(
                Map.of(CheckAccessJobHandler.class, new CheckAccessJobHandler(accessChecker),
                        DispatchAccessChecksJobHandler.class, new DispatchAccessChecksJobHandler(addons, accessChecks, clock)),
                Map.of("dispatch-access-checks", new Jobs.RecurringJob(Duration.ofMinutes(1), new DispatchAccessChecksJob())));

        Javalin web = null;
        if (roles.contains(Role.WEB)) {
            var pages = new Pages();
            var errors = new ErrorResponses(pages);
            var bodies = new JsonBodies(json);
            var partnerAuth = new PartnerAuth(settings.addonId(), settings.password());
            var partnerApi = new PartnerApi(bodies,
                    new AddonProvisioner(addons, secrets, partnerTokens, accessChecks, clock),
                    new PlanChanger(addons, clock),
                    new AddonDeprovisioner(addons, clock),
                    settings.publicUrl(), settings.collaboratorEmail());
            var sessions = new WebSessions(dsl, clock, settings.secureCookies());
            var ssoLogin = new SsoLogin(new SsoTokenVerifier(settings.ssoSalt(), dsl, clock), addons, sessions, clock);
            var dashboard = new Dashboard(sessions, addons, accessChecker, pages, settings.collaboratorEmail(), clock);

            web = Javalin.create(config -> {
                config.jetty.port = settings.port();
                config.http.maxRequestSize = RequestLimits.MAX_BODY_BYTES;
                config.startup.showJavalinBanner = false;
                config.startup.showOldJavalinVersionWarning = false;
                config.jsonMapper(new JavalinJackson(json, false));
                errors.register(config.routes);

                config.routes.before(RequestLimits::checkBodySize);
                config.routes.before("/heroku/*", partnerAuth::require);
                config.routes.post("/heroku/resources", partnerApi::provision);
                config.routes.put("/heroku/resources/{id}", partnerApi::changePlan);
                config.routes.delete("/heroku/resources/{id}", partnerApi::deprovision);

                config.routes.post("/sso/login", ssoLogin::login);
                config.routes.get("/dashboard", dashboard::show);
                config.routes.get("/", ctx -> pages.render(ctx, 200, "home", Map.of()));
                config.routes.get("/health", ctx -> ctx.json(Map.of("status", "ok")));
            }).start();
        }
        return new App(database, jobs, web, accessChecker);
    }

    /** The HTTP port actually bound (useful when PORT=0). */
    public int port() {
        return web == null ? -1 : web.port();
    }

    /** Runs an access check now, as the scheduled job would (tests use it instead of waiting for the schedule). */
    public AccessChecker accessChecker() {
        return accessChecker;
    }

    @Override
    public void close() {
        if (web != null) {
            web.stop();
        }
        jobs.close();
        database.close();
    }
}
