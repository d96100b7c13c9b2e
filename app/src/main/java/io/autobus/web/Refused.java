package io.autobus.web;

import io.javalin.http.Context;
import io.javalin.http.UnprocessableContentResponse;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A dashboard form that was refused: which one, why, and what the customer typed. Its page is
 * shown again (422) with the reason beside that form and each of its fields as typed; every other
 * form shows what is stored. Templates ask it for each field's value.
 *
 * @param form  the refused form's name, e.g. {@code schedule} or {@code options:DATABASE_URL}
 * @param typed the fields as posted, without the form token
 */
public record Refused(String form, String reason, Map<String, List<String>> typed) {
    /** No form was refused: every field shows what is stored. */
    public static final Refused NONE = new Refused("", null, Map.of());

    /** {@code form} as the customer posted it, refused for {@code reason}; {@code secrets} are fields not sent back to the page. */
    static Refused of(Context ctx, String form, String reason, String... secrets) {
        var typed = new LinkedHashMap<>(ctx.formParamMap());
        typed.remove("csrf");
        for (String secret : secrets) {
            typed.remove(secret);
        }
        return new Refused(form, reason, typed);
    }

    /** Answers with an error page instead when the refused form is none of {@code forms}, those the page shows. */
    void shownOn(Collection<String> forms) {
        if (this != NONE && !forms.contains(form)) {
            throw new UnprocessableContentResponse(reason);
        }
    }

    /** True when this is the refused form. */
    public boolean concerns(String form) {
        return this.form.equals(form);
    }

    /** What the field shows: as typed when its form was refused, else {@code stored}. */
    public String value(String form, String field, Object stored) {
        if (concerns(form)) {
            List<String> values = typed.getOrDefault(field, List.of());
            return values.isEmpty() ? "" : values.getFirst();
        }
        return stored == null ? "" : String.valueOf(stored);
    }

    /** Whether a checkbox shows ticked: as sent when its form was refused, else {@code stored}. */
    public boolean checked(String form, String field, Object stored) {
        return concerns(form) ? typed.containsKey(field) : Boolean.TRUE.equals(stored);
    }
}
