package ar.connector.scheduling;

import java.lang.management.ManagementFactory;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Makes a schedule fire once per cluster (SPEC §6): every instance's timer fires, and the one that
 * moves the schedule's {@code next_run_at} forward in the shared database runs it; the others
 * find it already moved and skip. A tenth of the interval is left as slack so that the timer of
 * the instance that ran last time is not turned away by a few milliseconds of jitter.
 */
@Component
public class ScheduleLease {

    private final JdbcTemplate jdbc;
    private final String holder = ManagementFactory.getRuntimeMXBean().getName();

    public ScheduleLease(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public boolean claim(String name, Duration interval) {
        Instant now = Instant.now();
        ensure(name);
        Instant next = now.plus(interval.minus(interval.dividedBy(10)));
        return jdbc.update("update schedule_lease set next_run_at = ?, holder = ? where name = ? and next_run_at <= ?",
                Timestamp.from(next), holder, name, Timestamp.from(now)) == 1;
    }

    private void ensure(String name) {
        Integer found = jdbc.queryForObject("select count(*) from schedule_lease where name = ?", Integer.class, name);
        if (found != null && found > 0) {
            return;
        }
        try {
            jdbc.update("insert into schedule_lease (name, next_run_at) values (?, ?)", name, Timestamp.from(Instant.EPOCH));
        } catch (DataIntegrityViolationException raced) {
            // another instance created it
        }
    }
}
