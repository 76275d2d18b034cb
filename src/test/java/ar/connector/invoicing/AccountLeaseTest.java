package ar.connector.invoicing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.JdbcTemplate;

import ar.connector.testsupport.PostgresSchema;

/**
 * The account lease, on H2 and on PostgreSQL, as two replicas see it (each its own pool and lease
 * manager; each replica's work on a thread of its own, as a turn runs on one consumer thread).
 */
class AccountLeaseTest {

    private static final Duration TTL = Duration.ofMillis(600);
    private static PostgresSchema postgres;
    private static DataSource h2;

    private final List<AccountLease> leases = new ArrayList<>();
    private final ExecutorService replicaA = Executors.newSingleThreadExecutor();
    private final ExecutorService replicaB = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        leases.forEach(AccountLease::stop);
        replicaA.shutdownNow();
        replicaB.shutdownNow();
    }

    @AfterAll
    static void dropSchema() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "h2", "postgresql" })
    void onlyOneReplicaHoldsAnAccountAndItIsFreeAgainOnRelease(String database) throws Exception {
        AccountLease a = lease(database);
        AccountLease b = lease(database);
        String account = "shop-" + UUID.randomUUID() + "@example.com";

        Optional<AccountLease.Held> held = on(replicaA, () -> a.tryAcquire(account));
        assertThat(held).isPresent();
        assertThat(on(replicaB, () -> b.tryAcquire(account))).as("taken by A").isEmpty();
        assertThat(on(replicaB, () -> b.tryAcquire("other-" + account))).as("another account is free").isPresent();

        on(replicaA, () -> {
            a.release(held.get());
            return null;
        });
        assertThat(on(replicaB, () -> b.tryAcquire(account.toUpperCase()))).as("free after release, any case")
                .isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = { "h2", "postgresql" })
    void aLiveHolderKeepsTheLeaseByRenewingItPastItsTimeToLive(String database) throws Exception {
        AccountLease a = lease(database);
        AccountLease b = lease(database);
        String account = "shop-" + UUID.randomUUID() + "@example.com";
        assertThat(on(replicaA, () -> a.tryAcquire(account))).isPresent();

        Thread.sleep(TTL.multipliedBy(3).toMillis());

        assertThat(on(replicaB, () -> b.tryAcquire(account))).as("renewed by A").isEmpty();
        on(replicaA, () -> {
            a.checkHeld();
            return null;
        });
    }

    @ParameterizedTest
    @ValueSource(strings = { "h2", "postgresql" })
    void aDeadHoldersLeaseExpiresAndTheStalledHolderIsFencedOut(String database) throws Exception {
        AccountLease a = lease(database);
        AccountLease b = lease(database);
        String account = "shop-" + UUID.randomUUID() + "@example.com";
        assertThat(on(replicaA, () -> a.tryAcquire(account))).isPresent();
        a.stop(); // A stalls: no more renewals

        assertThat(on(replicaB, () -> b.tryAcquire(account))).as("not expired yet").isEmpty();
        Thread.sleep(TTL.toMillis() + 300);
        assertThat(on(replicaB, () -> b.tryAcquire(account))).as("expired: B takes it").isPresent();

        assertThatThrownBy(() -> on(replicaA, () -> {
            a.checkHeld();
            return null;
        })).hasCauseInstanceOf(AccountLease.LostException.class);
        on(replicaB, () -> {
            b.checkHeld();
            return null;
        });
    }

    @ParameterizedTest
    @ValueSource(strings = { "h2", "postgresql" })
    void withLeaseWaitsForTheHolderAndGivesUpAfterItsWait(String database) throws Exception {
        AccountLease a = lease(database);
        AccountLease b = lease(database);
        String account = "shop-" + UUID.randomUUID() + "@example.com";
        AccountLease.Held held = on(replicaA, () -> a.tryAcquire(account)).orElseThrow();

        assertThatThrownBy(() -> on(replicaB, () -> b.withLease(account, Duration.ofMillis(400), () -> "ran")))
                .hasCauseInstanceOf(AccountLease.BusyException.class);

        replicaA.submit(() -> {
            Thread.sleep(300);
            a.release(held);
            return null;
        });
        assertThat(on(replicaB, () -> b.withLease(account, Duration.ofSeconds(5), () -> "ran"))).isEqualTo("ran");
        assertThat(on(replicaA, () -> a.tryAcquire(account))).as("withLease gave it back").isPresent();
    }

    private static <T> T on(ExecutorService replica, Callable<T> work) throws Exception {
        return replica.submit(work).get(10, TimeUnit.SECONDS);
    }

    private AccountLease lease(String database) {
        DataSource dataSource;
        if ("postgresql".equals(database)) {
            Assumptions.assumeTrue(PostgresSchema.reachable(), "PostgreSQL not reachable at 127.0.0.1:5432");
            synchronized (AccountLeaseTest.class) {
                if (postgres == null) {
                    postgres = PostgresSchema.migrated();
                }
            }
            dataSource = postgres.pool();
        } else {
            synchronized (AccountLeaseTest.class) {
                if (h2 == null) {
                    JdbcDataSource memory = new JdbcDataSource();
                    memory.setURL("jdbc:h2:mem:account-lease;DB_CLOSE_DELAY=-1");
                    memory.setUser("sa");
                    Flyway.configure().dataSource(memory).locations("classpath:db/migration").load().migrate();
                    h2 = memory;
                }
            }
            dataSource = h2;
        }
        AccountLease lease = new AccountLease(new JdbcTemplate(dataSource), TTL);
        leases.add(lease);
        return lease;
    }
}
