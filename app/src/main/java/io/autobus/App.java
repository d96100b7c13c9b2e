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
import io.autobus.backup.BackupDispatcher;
import io.autobus.backup.BackupJobHandler;
import io.autobus.backup.BackupRunner;
import io.autobus.backup.ExcludedDataCheck;
import io.autobus.backup.BackupSettings;
import io.autobus.backup.BackupTargets;
import io.autobus.backup.CustomerKeys;
import io.autobus.backup.DatabaseAttacher;
import io.autobus.backup.DatabaseLocks;
import io.autobus.backup.DispatchBackupsJob;
import io.autobus.backup.DispatchBackupsJobHandler;
import io.autobus.backup.LeftoverObjectsSweeper;
import io.autobus.backup.ManualSnapshots;
import io.autobus.backup.PruneSnapshotsJob;
import io.autobus.backup.PruneSnapshotsJobHandler;
import io.autobus.backup.ScheduleRepository;
import io.autobus.backup.SnapshotDeleter;
import io.autobus.backup.SnapshotObjectsRemover;
import io.autobus.backup.SnapshotPruner;
import io.autobus.backup.SnapshotRepository;
import io.autobus.api.ApiAuth;
import io.autobus.api.DatabasesApi;
import io.autobus.api.ApiTokens;
import io.autobus.api.RateLimiter;
import io.autobus.api.RestoresApi;
import io.autobus.api.SettingsApi;
import io.autobus.api.SnapshotsApi;
import io.autobus.config.Settings;
import io.autobus.crypto.SecretBox;
import io.autobus.db.MetadataDatabase;
import io.autobus.dump.Dumpers;
import io.autobus.dump.Tools;
import io.autobus.heroku.HerokuClients;
import io.autobus.heroku.HerokuRetries;
import io.autobus.addon.PartnerApi;
import io.autobus.addon.PartnerAuth;
import io.autobus.heroku.PartnerTokenProvider;
import io.autobus.release.ReleaseWebhooks;
import io.autobus.web.SsoLogin;
import io.autobus.heroku.SsoTokenVerifier;
import io.autobus.http.ConnectionsPerAddress;
import io.autobus.web.ErrorResponses;
import io.autobus.http.JsonBodies;
import io.autobus.http.RequestHeaderDeadline;
import io.autobus.http.RequestLimits;
import io.autobus.http.SecurityHeaders;
import io.autobus.jobs.JobPostponer;
import io.autobus.jobs.Jobs;
import io.autobus.net.CustomerAddresses;
import io.autobus.notify.DeliverNotificationJobHandler;
import io.autobus.notify.Mailer;
import io.autobus.notify.NotificationDelivery;
import io.autobus.notify.NotificationSettings;
import io.autobus.notify.Notifier;
import io.autobus.notify.WebhookSender;
import io.autobus.release.ReleaseRepository;
import io.autobus.release.ReleaseSubscriptions;
import io.autobus.restore.RestoreJobHandler;
import io.autobus.restore.RestoreRepository;
import io.autobus.restore.RestoreRequests;
import io.autobus.restore.RestoreRunner;
import io.autobus.verify.DeepCheckDispatcher;
import io.autobus.verify.DispatchDeepChecksJob;
import io.autobus.verify.DispatchDeepChecksJobHandler;
import io.autobus.verify.ScratchLeftovers;
import io.autobus.verify.ScratchServers;
import io.autobus.verify.SnapshotVerifier;
import io.autobus.verify.Verification;
import io.autobus.verify.VerifyJobHandler;
import io.autobus.storage.SnapshotStores;
import io.autobus.web.DashboardActions;
import io.autobus.web.DetachPage;
import io.autobus.web.EncryptionKeyForm;
import io.autobus.web.SnapshotPage;
import io.autobus.web.Dashboard;
import io.autobus.web.ErrorPage;
import io.autobus.web.Flash;
import io.autobus.web.Pages;
import io.autobus.web.RestoreForm;
import io.autobus.web.RestorePage;
import io.autobus.web.WebSessions;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.jobrunr.scheduling.JobRequestScheduler;

/** Wires the service top-down: settings, metadata store, clients, services, jobs, routes. */
public final class App implements AutoCloseable {
    private final MetadataDatabase database;
    private final SnapshotStores stores;
    private final ScratchServers scratchServers;
    private final Jobs jobs;
    private final Runnable startJobs;
    private final Javalin web;
    private final AtomicInteger port;
    private final AccessChecker accessChecker;
    private boolean started;

    private App(MetadataDatabase database, SnapshotStores stores, ScratchServers scratchServers, Jobs jobs, Runnable startJobs,
                Javalin web, AtomicInteger port, AccessChecker accessChecker) {
        this.database = database;
        this.stores = stores;
        this.scratchServers = scratchServers;
        this.jobs = jobs;
        this.startJobs = startJobs;
        this.web = web;
        this.port = port;
        this.accessChecker = accessChecker;
    }

    /**
     * Builds the service for these roles without starting it: no job runs and no port is bound until {@link #start}.
     * The metadata store is opened (and migrated) here, because the services are built on it.
     */
    public static App create(Settings settings, Clock clock, Set<Role> roles) {
        var json = new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        var database = MetadataDatabase.open(settings);
        var dsl = database.dsl();
        var secrets = new SecretBox(settings.secretKey());
        var heroku = HerokuClients.create(settings, json);
        var jobs = Jobs.create(database.dataSource(), roles.contains(Role.WORKER), settings.workerThreads());
        var stores = SnapshotStores.from(settings, clock);

        var addons = new AddonRepository(dsl);
        var customerAddresses = new CustomerAddresses(settings.privateNetworks());
        var partnerTokens = new PartnerTokenProvider(dsl, heroku.identity(), secrets, clock);
        var accessChecks = new AccessCheckQueue(jobs.scheduler());
        var notifier = new Notifier(dsl, jobs.scheduler(), settings.smtpUrl().isPresent(), clock);
        var releases = new ReleaseRepository(dsl, secrets);
        var releaseSubscriptions = new ReleaseSubscriptions(releases, heroku.platform(), settings.publicUrl());
        var accessChecker = new AccessChecker(addons, partnerTokens, heroku.platform(), new DatabaseFinder(),
                settings.herokuApiKey(), settings.collaboratorEmail(), notifier, releaseSubscriptions, clock);

        var snapshots = new SnapshotRepository(dsl);
        var locks = new DatabaseLocks(database.dataSource());
        var tools = Tools.installed(settings.home().resolve("tmp"));
        var scratchServers = ScratchServers.from(settings, tools, clock);
        var verifier = new SnapshotVerifier(snapshots, stores, scratchServers, tools, locks, notifier, settings.jobLimits(), clock);
        var verification = new Verification(snapshots, verifier, jobs.scheduler(), jobs.bell(), settings.jobLimits(), clock);
        var scratchLeftovers = new ScratchLeftovers(scratchServers, tools, locks);
        var backupTargets = new BackupTargets(addons, heroku.platform(), settings.herokuApiKey(), secrets, customerAddresses);
        var dumpers = Dumpers.of(tools, settings.compressionThreads(), settings.workerThreads());
        var backupRunner = new BackupRunner(snapshots, addons, backupTargets, dumpers, stores, locks,
                new io.autobus.backup.BackupNotices(verification, notifier), settings.jobLimits(), clock);
        var restores = new RestoreRepository(dsl);
        var restoreRunner = new RestoreRunner(restores, snapshots, addons, backupTargets, backupRunner, stores, locks,
                tools, notifier, settings.jobLimits(), clock);
        var delivery = new NotificationDelivery(dsl, settings.smtpUrl().map(url -> new Mailer(url, settings.mailFrom())),
                new WebhookSender(customerAddresses), secrets, json, clock);
        var schedules = new ScheduleRepository(dsl);
        var dispatcher = new BackupDispatcher(schedules, addons, snapshots, jobs.scheduler(), notifier, clock);
        var pruner = new SnapshotPruner(snapshots, stores, clock);
        var sweeper = new LeftoverObjectsSweeper(snapshots, stores, settings.jobLimits().backupTimeout(), clock);
        var deepChecks = new DeepCheckDispatcher(snapshots, jobs.scheduler(), clock);
        var postponer = new JobPostponer(jobs.scheduler(), clock);

        Runnable runJobs = () -> jobs.start(
                Map.of(CheckAccessJobHandler.class, new CheckAccessJobHandler(accessChecker),
                        DispatchAccessChecksJobHandler.class, new DispatchAccessChecksJobHandler(addons, accessChecks, clock),
                        BackupJobHandler.class, new BackupJobHandler(backupRunner, postponer),
                        RestoreJobHandler.class, new RestoreJobHandler(restoreRunner, postponer),
                        DispatchBackupsJobHandler.class, new DispatchBackupsJobHandler(dispatcher),
                        PruneSnapshotsJobHandler.class, new PruneSnapshotsJobHandler(pruner, sweeper),
                        VerifyJobHandler.class, new VerifyJobHandler(verifier, postponer),
                        DispatchDeepChecksJobHandler.class, new DispatchDeepChecksJobHandler(deepChecks),
                        DeliverNotificationJobHandler.class, new DeliverNotificationJobHandler(delivery)),
                Map.of("dispatch-access-checks", new Jobs.RecurringJob(Duration.ofMinutes(1), new DispatchAccessChecksJob()),
                        "dispatch-backups", new Jobs.RecurringJob(Duration.ofMinutes(1), new DispatchBackupsJob()),
                        "prune-snapshots", new Jobs.RecurringJob(Duration.ofHours(1), new PruneSnapshotsJob()),
                        "dispatch-deep-checks", new Jobs.RecurringJob(Duration.ofHours(1), new DispatchDeepChecksJob())));

        Javalin web = null;
        var port = new AtomicInteger();
        if (roles.contains(Role.WEB)) {
            // Heroku called while Heroku's partner API or a browser waits for our answer: a quick second try, not a minute of them.
            var herokuWhileAsked = HerokuClients.create(settings, json, HerokuRetries.Limits.WHILE_ASKED);
            var partnerTokensWhileAsked = new PartnerTokenProvider(dsl, herokuWhileAsked.identity(), secrets, clock);
            var releaseSubscriptionsWhileAsked = new ReleaseSubscriptions(releases, herokuWhileAsked.platform(), settings.publicUrl());
            var accessCheckerWhileAsked = new AccessChecker(addons, partnerTokensWhileAsked, herokuWhileAsked.platform(),
                    new DatabaseFinder(), settings.herokuApiKey(), settings.collaboratorEmail(), notifier, releaseSubscriptionsWhileAsked,
                    clock);
            var flash = new Flash(settings.secureCookies());
            var pages = new Pages(flash);
            var sessions = new WebSessions(dsl, clock, settings.secureCookies());
            var securityHeaders = new SecurityHeaders(settings.secureCookies());
            var errors = new ErrorResponses(new ErrorPage(sessions, addons, pages));
            var bodies = new JsonBodies(json);
            var partnerAuth = new PartnerAuth(settings.addonId(), settings.password());
            var partnerApi = new PartnerApi(bodies,
                    new AddonProvisioner(addons, secrets, partnerTokens, accessChecks, clock),
                    new PlanChanger(addons, clock),
                    new AddonDeprovisioner(addons, new SnapshotObjectsRemover(snapshots, stores),
                            addonId -> releaseSubscriptionsWhileAsked.remove(addonId, () -> partnerTokensWhileAsked.accessToken(addonId)),
                            clock),
                    settings.publicUrl(), settings.collaboratorEmail());
            var ssoLogin = new SsoLogin(new SsoTokenVerifier(settings.ssoSalt(), dsl, clock), addons, sessions, clock);
            var backupSettings = new BackupSettings(addons, schedules, dsl, clock, new ExcludedDataCheck(addons, backupTargets));
            var notificationSettings = new NotificationSettings(dsl, secrets, customerAddresses);
            var apiTokens = new ApiTokens(dsl);
            var manualSnapshots = new ManualSnapshots(addons, snapshots, jobs.scheduler(), jobs.bell(),
                    settings.jobLimits().backupTimeout(), clock);
            var snapshotDeleter = new SnapshotDeleter(snapshots, stores);
            var releaseWebhooks = new ReleaseWebhooks(releases,
                    new io.autobus.release.AfterReleaseSnapshots(backupSettings, addons, snapshots, manualSnapshots, notifier, clock), bodies, clock);
            var apiAuth = new ApiAuth(apiTokens, new RateLimiter(settings.apiRateLimit(), settings.apiRateLimit(), clock), bodies);
            var snapshotsApi = new SnapshotsApi(apiAuth, snapshots, manualSnapshots, snapshotDeleter, stores, clock);
            var customerKeys = new CustomerKeys(addons);
            var settingsApi = new SettingsApi(apiAuth, backupSettings, addons, customerKeys);
            var attacher = new DatabaseAttacher(addons, secrets, clock, customerAddresses, dumpers);
            var databasesApi = new DatabasesApi(apiAuth, addons, attacher);
            var restoreRequests = new RestoreRequests(addons, snapshots, restores, backupTargets, jobs.scheduler(), jobs.bell(),
                    settings.jobLimits().backupTimeout(), clock);
            var restoresApi = new RestoresApi(apiAuth, restoreRequests, restores, snapshots, clock);
            var dashboard = new Dashboard(sessions, addons, snapshots, restores, backupSettings, notificationSettings, apiTokens,
                    accessCheckerWhileAsked, pages, settings.collaboratorEmail(), settings.publicUrl(), clock);
            var dashboardActions = new DashboardActions(sessions,
                    manualSnapshots,
                    attacher, snapshots, stores, backupSettings, notificationSettings,
                    verification, snapshotDeleter, apiTokens, dashboard, flash);
            var detachPage = new DetachPage(sessions, addons, attacher, flash, pages);
            var snapshotPage = new SnapshotPage(sessions, snapshots, addons, stores, pages, clock);
            var restoreForm = new RestoreForm(sessions, snapshots, addons, restoreRequests, pages, flash);
            var restorePage = new RestorePage(sessions, restores, snapshots, addons, pages, clock);
            var encryptionKeyForm = new EncryptionKeyForm(sessions, customerKeys, dashboard, flash);

            var httpLimits = settings.http();
            web = Javalin.create(config -> {
                config.jetty.addConnector((server, httpConfiguration) -> {
                    var connector = new ServerConnector(server, new HttpConnectionFactory(httpConfiguration));
                    connector.setPort(port.get());
                    connector.setIdleTimeout(httpLimits.idleTimeout().toMillis());
                    connector.addBean(new RequestHeaderDeadline(httpLimits.headerTimeout()));
                    if (httpLimits.connectionsPerAddress() > 0) {
                        connector.addBean(new ConnectionsPerAddress(httpLimits.connectionsPerAddress()));
                    }
                    return connector;
                });
                config.concurrency.useVirtualThreads = true;
                config.http.maxRequestSize = RequestLimits.MAX_BODY_BYTES;
                config.startup.showJavalinBanner = false;
                config.startup.showOldJavalinVersionWarning = false;
                config.jsonMapper(new JavalinJackson(json, false));
                errors.register(config.routes);

                config.routes.before(securityHeaders::apply);
                config.routes.before(RequestLimits::checkBodySize);
                // The partner API's Basic auth; Heroku's webhook deliveries carry their own Authorization and signature.
                config.routes.before("/heroku/resources", partnerAuth::require);
                config.routes.before("/heroku/resources/*", partnerAuth::require);
                config.routes.post("/heroku/webhooks", releaseWebhooks::receive);
                config.routes.post("/heroku/resources", partnerApi::provision);
                config.routes.put("/heroku/resources/{id}", partnerApi::changePlan);
                config.routes.delete("/heroku/resources/{id}", partnerApi::deprovision);

                config.routes.get("/api/snapshots", snapshotsApi::list);
                config.routes.post("/api/snapshots", snapshotsApi::create);
                config.routes.get("/api/snapshots/latest", snapshotsApi::latest);
                config.routes.get("/api/snapshots/check_snapshot", snapshotsApi::check);
                config.routes.get("/api/snapshots/{id}", snapshotsApi::show);
                config.routes.delete("/api/snapshots/{id}", snapshotsApi::delete);
                config.routes.get("/api/snapshots/{id}/tables", restoresApi::tables);
                config.routes.post("/api/snapshots/{id}/restores", restoresApi::create);
                config.routes.get("/api/restores/{restore_id}", restoresApi::show);
                config.routes.get("/api/databases", databasesApi::list);
                config.routes.post("/api/databases", databasesApi::attach);
                config.routes.delete("/api/databases/{name}", databasesApi::detach);
                config.routes.get("/api/settings", settingsApi::show);
                config.routes.patch("/api/settings", settingsApi::change);
                config.routes.put("/api/settings/encryption", settingsApi::encrypt);
                config.routes.delete("/api/settings/encryption", settingsApi::stopEncrypting);
                config.routes.get("/api/settings/encryption/sample", settingsApi::sample);
                config.routes.get("/api/openapi.yaml", ctx -> ctx.contentType("application/yaml")
                        .result(App.class.getResourceAsStream("/openapi.yaml")));

                config.routes.post("/sso/login", ssoLogin::login);
                config.routes.post("/logout", dashboardActions::signOut);
                config.routes.get("/dashboard", dashboard::snapshots);
                config.routes.get("/dashboard/statistics", dashboard::statistics);
                config.routes.get("/dashboard/settings", dashboard::settings);
                config.routes.post("/dashboard/api", dashboardActions::changeApi);
                config.routes.get("/dashboard/api/regenerate", dashboard::confirmRegenerate);
                config.routes.get("/dashboard/snapshots/{id}/delete", snapshotPage::confirmDelete);
                config.routes.post("/dashboard/snapshots/{id}/delete", dashboardActions::deleteSnapshot);
                config.routes.post("/dashboard/snapshots", dashboardActions::takeSnapshot);
                config.routes.post("/dashboard/databases", dashboardActions::attachDatabase);
                config.routes.post("/dashboard/databases/options", dashboardActions::changeDumpOptions);
                config.routes.get("/dashboard/databases/{name}/detach", detachPage::confirm);
                config.routes.post("/dashboard/databases/{name}/detach", detachPage::detach);
                config.routes.post("/dashboard/schedule", dashboardActions::changeSchedule);
                config.routes.post("/dashboard/notifications", dashboardActions::changeNotifications);
                config.routes.post("/dashboard/releases", dashboardActions::changeReleases);
                config.routes.get("/dashboard/encryption/sample", encryptionKeyForm::sample);
                config.routes.post("/dashboard/encryption/sample", encryptionKeyForm::sampleFromForm);
                config.routes.post("/dashboard/encryption", encryptionKeyForm::enable);
                config.routes.post("/dashboard/encryption/off", encryptionKeyForm::disable);
                config.routes.post("/dashboard/snapshots/{id}/verify", dashboardActions::verifyAgain);
                config.routes.get("/dashboard/snapshots/{id}", snapshotPage::show);
                config.routes.get("/dashboard/snapshots/{id}/download", dashboardActions::download);
                config.routes.get("/dashboard/snapshots/{id}/restore", restoreForm::show);
                config.routes.post("/dashboard/snapshots/{id}/restore", restoreForm::submit);
                config.routes.get("/dashboard/restores/{restore_id}", restorePage::show);
                stores.localDownloads().ifPresent(downloads -> config.routes.get("/downloads/{token}", downloads::serve));
                config.routes.get("/", ctx -> pages.render(ctx, 200, "home", Map.of("signedOut", ctx.queryParam("signed_out") != null)));
                config.routes.get("/health", ctx -> ctx.json(Map.of("status", "ok")));
            });
        }
        Runnable startJobs = roles.contains(Role.WORKER)
                ? () -> {
                    scratchLeftovers.cleanUp();
                    runJobs.run();
                }
                : runJobs;
        return new App(database, stores, scratchServers, jobs, startJobs, web, port, accessChecker);
    }

    /**
     * Starts running jobs (a worker first removes what a stopped worker left behind) and, in a web process, serves HTTP
     * on {@code port} (0: any free port, see {@link #port()}).
     */
    public synchronized App start(int port) {
        if (started) {
            throw new IllegalStateException("the service is already started");
        }
        started = true;
        startJobs.run();
        if (web != null) {
            this.port.set(port);
            web.start();
        }
        return this;
    }

    /** The HTTP port bound once started (the one chosen when started on port 0); -1 before, or without the web role. */
    public synchronized int port() {
        return web == null || !started ? -1 : web.port();
    }

    /** Where tests queue jobs as the service does. */
    public JobRequestScheduler jobScheduler() {
        return jobs.scheduler();
    }

    /** Runs an access check now, as the scheduled job would (tests use it instead of waiting for the schedule). */
    public AccessChecker accessChecker() {
        return accessChecker;
    }

    @Override
    public void close() {
        var resources = new ArrayList<AutoCloseable>();
        if (web != null) {
            resources.add(web::stop);
        }
        resources.addAll(List.of(jobs, stores, scratchServers, database)); // the metadata store last: the others use it
        ClosingInOrder.closeAll(resources);
    }
}
