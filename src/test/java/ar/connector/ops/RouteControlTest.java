package ar.connector.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.fasterxml.jackson.databind.JsonNode;

import ar.connector.invoicing.SandboxedConnectorTest;

/**
 * Operators stop and start flows through JMX, Jolokia and the actuator (SPEC §3.4): the route's
 * state changes, and an order that arrives while order-invoicing is stopped waits in the queue and
 * is invoiced once the route starts again.
 */
class RouteControlTest extends SandboxedConnectorTest {

    static final String INVOICING = "order-invoicing";

    @Autowired
    CamelContext camel;

    @AfterEach
    void everyRouteRunsAgain() throws Exception {
        for (var route : camel.getRoutes()) {
            if (!camel.getRouteController().getRouteStatus(route.getId()).isStarted()) {
                camel.getRouteController().startRoute(route.getId());
            }
        }
    }

    /** One way of stopping and starting a route, and of reading its state. */
    interface Control {
        void stop(String routeId) throws Exception;

        void start(String routeId) throws Exception;

        String state(String routeId) throws Exception;
    }

    @Test
    void platformMBeanServerStopsAndStartsARouteAndQueuedOrdersAreInvoicedAfterTheStart() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        Control jmx = new Control() {
            public void stop(String id) throws Exception {
                server.invoke(route(server, id), "stop", null, null);
            }

            public void start(String id) throws Exception {
                server.invoke(route(server, id), "start", null, null);
            }

            public String state(String id) throws Exception {
                return (String) server.getAttribute(route(server, id), "State");
            }
        };
        pausesAndResumesInvoicing(jmx);
        stopsAndStarts(jmx, "order-polling");
    }

    @Test
    void jolokiaOverHttpStopsAndStartsARouteAndQueuedOrdersAreInvoicedAfterTheStart() throws Exception {
        Control jolokia = new Control() {
            public void stop(String id) {
                exec(id, "stop()");
            }

            public void start(String id) {
                exec(id, "start()");
            }

            public String state(String id) {
                JsonNode answer = jolokia(Map.of("type", "read", "mbean", mbean(id), "attribute", "State"));
                return answer.path("value").asText();
            }

            void exec(String id, String operation) {
                jolokia(Map.of("type", "exec", "mbean", mbean(id), "operation", operation));
            }
        };
        pausesAndResumesInvoicing(jolokia);
        stopsAndStarts(jolokia, "order-polling");
    }

    @Test
    void camelroutesActuatorStopsAndStartsARouteAndQueuedOrdersAreInvoicedAfterTheStart() throws Exception {
        Control actuator = new Control() {
            public void stop(String id) {
                post("/actuator/camelroutes/" + id + "/stop");
            }

            public void start(String id) {
                post("/actuator/camelroutes/" + id + "/start");
            }

            public String state(String id) {
                HttpResponse<String> info = admin("GET", "/actuator/camelroutes/" + id + "/info", null);
                assertThat(info.statusCode()).as(info.body()).isEqualTo(200);
                return json(info.body()).path("status").asText();
            }

            void post(String path) {
                HttpResponse<String> answer = admin("POST", path, null);
                assertThat(answer.statusCode()).as(path + " " + answer.body()).isBetween(200, 204);
            }
        };
        pausesAndResumesInvoicing(actuator);
        stopsAndStarts(actuator, "order-polling");
    }

    @Test
    void camelroutesActionsNeedNeitherABodyNorAContentType() {
        ar.connector.support.Http plain = ar.connector.support.Http.basic("http://127.0.0.1:" + port, "admin",
                ADMIN_PASSWORD);
        ar.connector.support.Http.Response stop = plain.send("POST", "/actuator/camelroutes/order-polling/stop",
                null, null);
        assertThat(stop.status()).as(stop.toString()).isBetween(200, 204);
        assertThat(camel.getRouteController().getRouteStatus("order-polling").isStopped()).isTrue();
        ar.connector.support.Http.Response start = plain.send("POST", "/actuator/camelroutes/order-polling/start",
                null, null);
        assertThat(start.status()).as(start.toString()).isBetween(200, 204);
        assertThat(camel.getRouteController().getRouteStatus("order-polling").isStarted()).isTrue();
    }

    private void stopsAndStarts(Control control, String routeId) throws Exception {
        assertThat(control.state(routeId)).isEqualTo("Started");
        control.stop(routeId);
        assertThat(control.state(routeId)).isEqualTo("Stopped");
        assertThat(camel.getRouteController().getRouteStatus(routeId).isStopped()).isTrue();
        control.start(routeId);
        assertThat(control.state(routeId)).isEqualTo("Started");
    }

    private void pausesAndResumesInvoicing(Control control) throws Exception {
        Linked link = newLink("RI", Map.of(), "REM-01");
        assertThat(control.state(INVOICING)).isEqualTo("Started");
        control.stop(INVOICING);
        assertThat(control.state(INVOICING)).isEqualTo("Stopped");
        assertThat(camel.getRouteController().getRouteStatus(INVOICING).isStopped()).isTrue();

        long orderId = link.store().newOrder()
                .customer("carla@example.com", "Carla Gómez")
                .additionalField("DNI", "30123456")
                .line("REM-01", 1, 1210.00)
                .status("paid").create();
        assertThat(signedWebhook(link.store(), "order_paid", orderId).statusCode())
                .as("the intake route still runs: the order is queued").isEqualTo(200);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> link.account().issuedInvoices().isEmpty() && !"INVOICED".equals(status(link, orderId)));

        control.start(INVOICING);
        assertThat(control.state(INVOICING)).isEqualTo("Started");
        await().atMost(Duration.ofSeconds(20)).until(() -> "INVOICED".equals(status(link, orderId)));
        assertThat(link.account().issuedInvoices()).hasSize(1);
    }

    private JsonNode jolokia(Map<String, Object> request) {
        HttpResponse<String> answer = admin("POST", "/actuator/jolokia", request);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode body = json(answer.body());
        assertThat(body.path("status").asInt()).as(answer.body()).isEqualTo(200);
        return body;
    }

    private String mbean(String routeId) {
        try {
            return route(ManagementFactory.getPlatformMBeanServer(), routeId).getCanonicalName();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private ObjectName route(MBeanServer server, String routeId) throws Exception {
        Set<ObjectName> names = server.queryNames(new ObjectName(
                "org.apache.camel:context=" + camel.getManagementName() + ",type=routes,name=\"" + routeId + "\""), null);
        assertThat(names).as("the MBean of route %s", routeId).hasSize(1);
        return names.iterator().next();
    }
}
