package io.autobus.addon;

import io.autobus.dump.DatabaseUrl;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the databases Autobus can back up among an app's config vars. Heroku Postgres exposes
 * the primary database twice (DATABASE_URL and its HEROKU_POSTGRESQL_&lt;COLOR&gt;_URL); it is
 * backed up once, under DATABASE_URL.
 */
public final class DatabaseFinder {
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseFinder.class);
    private static final List<String> VENDOR_VARS = List.of("JAWSDB_URL", "JAWSDB_MARIA_URL", "CLEARDB_DATABASE_URL");
    private static final Pattern HEROKU_POSTGRES_VAR = Pattern.compile("HEROKU_POSTGRESQL_[A-Z0-9_]+_URL");

    public List<FoundDatabase> find(Map<String, String> configVars) {
        var names = new ArrayList<String>();
        names.add("DATABASE_URL");
        configVars.keySet().stream().filter(name -> HEROKU_POSTGRES_VAR.matcher(name).matches()).sorted().forEach(names::add);
        names.addAll(VENDOR_VARS);

        var found = new ArrayList<FoundDatabase>();
        Set<String> seen = new HashSet<>();
        for (String name : names) {
            String value = configVars.get(name);
            if (value == null || value.isBlank()) {
                continue;
            }
            DatabaseUrl url;
            try {
                url = DatabaseUrl.parse(value);
            } catch (IllegalArgumentException e) {
                LOG.warn("event=config_var_skipped var={} reason=\"{}\"", name, e.getMessage());
                continue;
            }
            if (seen.add(url.engine() + "://" + url.host().toLowerCase() + ":" + url.port() + "/" + url.database())) {
                found.add(FoundDatabase.of(name, url));
            }
        }
        return found;
    }
}
