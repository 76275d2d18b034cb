package ar.connector.sync;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import ar.connector.links.Link;
import ar.connector.links.LinkRepository;

/** The sync-run reports of SPEC §3.2: one row per link and run, kept in table sync_run. */
@Component
public class SyncRuns {

    /** How many SKUs of each side a report lists; the counts are always complete. */
    static final int LISTED_SKUS = 200;

    public enum Trigger { SCHEDULE, MANUAL, EVENT }

    public enum State { QUEUED, RUNNING, DONE, FAILED }

    private final JdbcTemplate jdbc;
    private final ObjectMapper mapper;
    private final LinkRepository links;

    public SyncRuns(JdbcTemplate jdbc, ObjectMapper mapper, LinkRepository links) {
        this.jdbc = jdbc;
        this.mapper = mapper;
        this.links = links;
    }

    /** A run as the admin API shows it. */
    public record RunView(String runId, long linkId, String kind, String trigger, String state, Instant createdAt,
            Instant startedAt, Instant finishedAt, int itemsRead, int changed, int written, JsonNode skippedSkus,
            JsonNode changedSkus, Long durationMs, String error) {
    }

    /** What one run did, to be stored when it ends; {@code changes} are the SKUs that differed, with the value to write. */
    public record Report(int itemsRead, int changed, int written, Set<String> onlyInContabilium,
            Set<String> onlyInStore, String error, List<SyncDiff.Change> changes) {

        public Report(int itemsRead, int changed, int written, Set<String> onlyInContabilium, Set<String> onlyInStore,
                String error) {
            this(itemsRead, changed, written, onlyInContabilium, onlyInStore, error, List.of());
        }
    }

    public String create(long linkId, SyncKind kind, Trigger trigger) {
        String id = UUID.randomUUID().toString();
        jdbc.update("insert into sync_run (id, link_id, kind, run_trigger, state, created_at) values (?, ?, ?, ?, ?, ?)",
                id, linkId, kind.name(), trigger.name(), State.QUEUED.name(), Timestamp.from(Instant.now()));
        return id;
    }

    public void started(String runId) {
        jdbc.update("update sync_run set state = ?, started_at = ? where id = ?", State.RUNNING.name(),
                Timestamp.from(Instant.now()), runId);
    }

    public void finished(String runId, Report report) {
        end(runId, report, State.DONE);
    }

    public void failed(String runId, String error) {
        end(runId, new Report(0, 0, 0, Set.of(), Set.of(), error == null ? "failed" : error), State.FAILED);
    }

    private void end(String runId, Report report, State end) {
        Instant now = Instant.now();
        Instant started = jdbc.query("select started_at from sync_run where id = ?",
                rs -> rs.next() && rs.getTimestamp(1) != null ? rs.getTimestamp(1).toInstant() : now, runId);
        String state = end.name();
        jdbc.update("update sync_run set state = ?, finished_at = ?, items_read = ?, changed = ?, written = ?, "
                + "skipped_skus = ?, changed_skus = ?, duration_ms = ?, error = ? where id = ?", state, Timestamp.from(now),
                report.itemsRead(), report.changed(), report.written(),
                skipped(report.onlyInContabilium(), report.onlyInStore()), changed(report.changes()),
                Duration.between(started, now).toMillis(), truncate(report.error()), runId);
    }

    public Optional<RunView> find(String runId) {
        return jdbc.query("select * from sync_run where id = ?", this::view, runId).stream().findFirst();
    }

    public List<RunView> forLink(long linkId, int limit) {
        return jdbc.query("select * from sync_run where link_id = ? order by created_at desc, id desc limit ?",
                this::view, linkId, limit);
    }

    /** The link's run that ended last (done or failed), if any. */
    public Optional<RunView> lastFinished(long linkId) {
        return jdbc.query("select * from sync_run where link_id = ? and finished_at is not null"
                + " order by finished_at desc, id desc limit 1", this::view, linkId).stream().findFirst();
    }

    /**
     * The runs of a queued message that are still to be done (a redelivered message finds them done),
     * each with its active link, marked RUNNING; a run whose link is gone fails here. The first step
     * of both sync routes.
     */
    public Map<String, Link> start(List<String> runIds) {
        Map<String, Link> startable = new LinkedHashMap<>();
        pending(runIds).forEach((runId, linkId) -> {
            Link link = links.findById(linkId).filter(Link::isActive).orElse(null);
            if (link == null) {
                failed(runId, "The link is unlinked");
            } else {
                started(runId);
                startable.put(runId, link);
            }
        });
        return startable;
    }

    /** The link each run belongs to, for runs still to be done (a redelivered message finds them done). */
    private Map<String, Long> pending(List<String> runIds) {
        Map<String, Long> links = new java.util.LinkedHashMap<>();
        for (String id : runIds) {
            jdbc.query("select link_id, state from sync_run where id = ?", rs -> {
                if (!State.DONE.name().equals(rs.getString(2)) && !State.FAILED.name().equals(rs.getString(2))) {
                    links.put(id, rs.getLong(1));
                }
            }, id);
        }
        return links;
    }

    private String skipped(Set<String> onlyInContabilium, Set<String> onlyInStore) {
        try {
            return mapper.writeValueAsString(Map.of(
                    "onlyInContabilium", Map.of("count", onlyInContabilium.size(),
                            "skus", onlyInContabilium.stream().limit(LISTED_SKUS).toList()),
                    "onlyInStore", Map.of("count", onlyInStore.size(),
                            "skus", onlyInStore.stream().limit(LISTED_SKUS).toList())));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {"count": n, "items": [{"sku", "value"}]}: the first LISTED_SKUS changes with the value written. */
    private String changed(List<SyncDiff.Change> changes) {
        try {
            return mapper.writeValueAsString(Map.of("count", changes.size(), "items", changes.stream().limit(LISTED_SKUS)
                    .map(c -> Map.of("sku", c.listing().sku().trim(), "value", c.value())).toList()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode jsonColumn(ResultSet rs, String column) throws SQLException {
        String text = rs.getString(column);
        try {
            return text == null ? null : mapper.readTree(text);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private RunView view(ResultSet rs, int row) throws SQLException {
        long millis = rs.getLong("duration_ms");
        Long duration = rs.wasNull() ? null : millis;
        return new RunView(rs.getString("id"), rs.getLong("link_id"), rs.getString("kind"), rs.getString("run_trigger"),
                rs.getString("state"), instant(rs, "created_at"), instant(rs, "started_at"), instant(rs, "finished_at"),
                rs.getInt("items_read"), rs.getInt("changed"), rs.getInt("written"), jsonColumn(rs, "skipped_skus"),
                jsonColumn(rs, "changed_skus"), duration, rs.getString("error"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    private static String truncate(String s) {
        return s == null || s.length() <= 2000 ? s : s.substring(0, 2000);
    }
}
