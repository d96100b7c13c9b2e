package io.autobus.notify;

import static io.autobus.db.generated.Tables.INCIDENT;
import static io.autobus.db.generated.Tables.NOTIFICATION;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.jobrunr.scheduling.JobRequestScheduler;
import org.jooq.DSLContext;

/**
 * Decides when the owner hears about a problem: once when it starts, once more if it goes on
 * ({@link #ESCALATE_AT} failures in a row), and once when it is over ("back to normal").
 * Problems are identified by a topic per add-on ({@code backup:DATABASE_URL},
 * {@code verify:DATABASE_URL}, {@code access}); the same failure again sends nothing.
 * Messages are kept, then delivered by a job (mail, webhook).
 */
public final class Notifier {
    /** The failure count in a row that sends a second message. */
    public static final int ESCALATE_AT = 3;

    private final DSLContext dsl;
    private final JobRequestScheduler jobs;
    private final boolean smtpConfigured;
    private final Clock clock;

    public Notifier(DSLContext dsl, JobRequestScheduler jobs, boolean smtpConfigured, Clock clock) {
        this.dsl = dsl;
        this.jobs = jobs;
        this.smtpConfigured = smtpConfigured;
        this.clock = clock;
    }

    /** Something went wrong; tells the owner unless they already know about this problem. */
    public void problem(UUID addonId, String topic, String event, String subject, String body) {
        Instant now = clock.instant();
        UUID sent = dsl.transactionResult(tx -> {
            var db = tx.dsl();
            var incident = db.selectFrom(INCIDENT).where(INCIDENT.ADDON_ID.eq(addonId), INCIDENT.TOPIC.eq(topic)).forUpdate().fetchOptional();
            if (incident.isEmpty()) {
                int inserted = db.insertInto(INCIDENT)
                        .set(INCIDENT.ADDON_ID, addonId).set(INCIDENT.TOPIC, topic).set(INCIDENT.OPENED_AT, now.atOffset(ZoneOffset.UTC))
                        .set(INCIDENT.FAILURES, 1).set(INCIDENT.ESCALATED, false)
                        .onConflictDoNothing().execute();
                return inserted == 1 ? record(db, addonId, topic, event, subject, body, now) : null;
            }
            int failures = incident.get().getFailures() + 1;
            boolean escalate = failures >= ESCALATE_AT && !incident.get().getEscalated();
            db.update(INCIDENT).set(INCIDENT.FAILURES, failures).set(INCIDENT.ESCALATED, incident.get().getEscalated() || escalate)
                    .where(INCIDENT.ADDON_ID.eq(addonId), INCIDENT.TOPIC.eq(topic)).execute();
            return escalate
                    ? record(db, addonId, topic, event + ".repeated", "Still failing (" + failures + " times in a row): " + subject, body, now)
                    : null;
        });
        deliver(sent);
    }

    /** The problem is over; says so if the owner was told about it. */
    public void resolved(UUID addonId, String topic, String event, String subject, String body) {
        Instant now = clock.instant();
        UUID sent = dsl.transactionResult(tx -> {
            int closed = tx.dsl().deleteFrom(INCIDENT).where(INCIDENT.ADDON_ID.eq(addonId), INCIDENT.TOPIC.eq(topic)).execute();
            return closed == 1 ? record(tx.dsl(), addonId, topic, event, "Back to normal: " + subject, body, now) : null;
        });
        deliver(sent);
    }

    /** Something the owner asked for is done (a restore): told once, no incident to follow. */
    public void notice(UUID addonId, String topic, String event, String subject, String body) {
        Instant now = clock.instant();
        deliver(dsl.transactionResult(tx -> record(tx.dsl(), addonId, topic, event, subject, body, now)));
    }

    private UUID record(DSLContext db, UUID addonId, String topic, String event, String subject, String body, Instant now) {
        UUID id = UUID.nameUUIDFromBytes((addonId + ":" + topic + ":" + event + ":" + now.toEpochMilli()).getBytes(StandardCharsets.UTF_8));
        db.insertInto(NOTIFICATION)
                .set(NOTIFICATION.ID, id)
                .set(NOTIFICATION.ADDON_ID, addonId)
                .set(NOTIFICATION.TOPIC, topic)
                .set(NOTIFICATION.EVENT, event)
                .set(NOTIFICATION.SUBJECT, subject)
                .set(NOTIFICATION.BODY, body)
                .set(NOTIFICATION.CREATED_AT, now.atOffset(ZoneOffset.UTC))
                .set(NOTIFICATION.EMAIL_STATUS, smtpConfigured ? "pending" : "kept")
                .set(NOTIFICATION.WEBHOOK_STATUS, "pending")
                .onConflictDoNothing()
                .execute();
        return id;
    }

    private void deliver(UUID notificationId) {
        if (notificationId != null) {
            jobs.enqueue(notificationId, new DeliverNotificationJob(notificationId));
        }
    }
}
