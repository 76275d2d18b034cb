package ar.connector.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.apache.camel.support.service.ServiceHelper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.quartz.Scheduler;
import org.quartz.Trigger;
import org.quartz.TriggerKey;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import ar.connector.ConnectorApplication;

/**
 * Two instances of the connector (two Spring application contexts with the {@code cluster} profile's
 * Quartz settings) on one PostgreSQL schema: every scheduled fire of a schedule runs on exactly one
 * of them, and an operator's stop of the scheduled route on one instance pauses the schedule for
 * both, until it is started again. Each instance keeps its own embedded broker (queues are not what
 * this test is about). Skipped, saying so, where no PostgreSQL is reachable.
 */
@EnabledIf(value = "postgresReachable", disabledReason = QuartzClusterTest.SKIPPED)
class QuartzClusterTest {

    static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";
    static final String SKIPPED = "PostgreSQL not reachable at 127.0.0.1:5432 — skipping the Quartz cluster test";
    static final String SCHEMA = "quartz_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    static final String ROUTE = "order-polling";
    static final Duration INTERVAL = Duration.ofSeconds(2);
    static final TriggerKey TRIGGER = new TriggerKey(ROUTE, "connector");

    /** One run of the scheduled route: which instance ran it, for which scheduled fire time. */
    record Fire(String instance, Date scheduledFireTime) {
    }

    static final List<Fire> FIRES = Collections.synchronizedList(new ArrayList<>());
    static ConfigurableApplicationContext a;
    static ConfigurableApplicationContext b;

    static boolean postgresReachable() {
        try (Connection connection = DriverManager.getConnection(URL + "?connectTimeout=3", "postgres", "")) {
            return connection.isValid(3);
        } catch (SQLException e) {
            return false;
        }
    }

    @BeforeAll
    static void twoInstancesOnOneSchema() throws Exception {
        sql("create schema " + SCHEMA);
        a = start("a");
        b = start("b");
    }

    static ConfigurableApplicationContext start(String name) throws Exception {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(ConnectorApplication.class)
                .profiles("test", "cluster")
                .run("--server.port=0",
                        "--spring.datasource.url=" + URL + "?currentSchema=" + SCHEMA,
                        "--spring.datasource.username=postgres",
                        "--spring.datasource.password=",
                        // The cluster profile's external broker is not needed here: each instance embeds one.
                        "--spring.artemis.mode=embedded",
                        "--spring.artemis.embedded.enabled=true",
                        "--spring.quartz.properties.org.quartz.jobStore.clusterCheckinInterval=1000",
                        "--connector.polling.interval=" + INTERVAL.toSeconds() + "s",
                        "--connector.polling.initial-delay=1s",
                        // Both contexts share this JVM: without JMX each keeps the management name "connector",
                        // as each replica's single context does.
                        "--camel.main.jmx-enabled=false",
                        "--spring.jmx.unique-names=true",
                        "--connector.jumpseller.api-url=http://127.0.0.1:9/",
                        "--connector.contabilium.api-url=http://127.0.0.1:9/");
        EventNotifierSupport recorder = new EventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                if (event instanceof CamelEvent.ExchangeCompletedEvent completed
                        && ROUTE.equals(completed.getExchange().getFromRouteId())) {
                    FIRES.add(new Fire(name, completed.getExchange().getIn().getHeader("scheduledFireTime", Date.class)));
                }
            }
        };
        CamelContext camel = context.getBean(CamelContext.class);
        camel.getManagementStrategy().addEventNotifier(recorder);
        ServiceHelper.startService(recorder);
        return context;
    }

    @Test
    void eachScheduledFireRunsOnExactlyOneInstance() throws Exception {
        assertThat(scheduler(a).getMetaData().isJobStoreClustered()).isTrue();
        int before = FIRES.size();
        await().atMost(Duration.ofSeconds(60)).until(() -> FIRES.size() >= before + 5);

        List<Fire> fires = List.copyOf(FIRES);
        assertThat(fires).extracting(Fire::scheduledFireTime).doesNotContainNull()
                .as("a fire time run twice: %s", fires).doesNotHaveDuplicates();
    }

    @Test
    void stoppingTheScheduledRouteOnOneInstancePausesTheScheduleForBothUntilItStartsAgain() throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> FIRES.size() >= 1);
        CamelContext camelA = a.getBean(CamelContext.class);
        CamelContext camelB = b.getBean(CamelContext.class);

        camelA.getRouteController().stopRoute(ROUTE);

        assertThat(scheduler(b).getTriggerState(TRIGGER)).isEqualTo(Trigger.TriggerState.PAUSED);
        assertThat(camelB.getRouteController().getRouteStatus(ROUTE).isStarted())
                .as("the other instance's route is not stopped, its schedule is").isTrue();
        // A fire already under way when the route stopped may still complete.
        await().atMost(INTERVAL.multipliedBy(2)).until(() -> true);
        int paused = FIRES.size();
        await().during(INTERVAL.multipliedBy(3)).atMost(INTERVAL.multipliedBy(4))
                .until(() -> FIRES.size() == paused);

        camelA.getRouteController().startRoute(ROUTE);

        assertThat(scheduler(b).getTriggerState(TRIGGER)).isEqualTo(Trigger.TriggerState.NORMAL);
        await().atMost(Duration.ofSeconds(30)).until(() -> FIRES.size() > paused);
    }

    static Scheduler scheduler(ConfigurableApplicationContext context) {
        return context.getBean(Scheduler.class);
    }

    @AfterAll
    static void stop() throws Exception {
        for (ConfigurableApplicationContext context : new ConfigurableApplicationContext[] {a, b}) {
            if (context != null) {
                context.close();
            }
        }
        sql("drop schema if exists " + SCHEMA + " cascade");
    }

    static void sql(String statement) throws SQLException {
        try (Connection connection = DriverManager.getConnection(URL, "postgres", "");
                Statement st = connection.createStatement()) {
            st.execute(statement);
        }
    }
}
