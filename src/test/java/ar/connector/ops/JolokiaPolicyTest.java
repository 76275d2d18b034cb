package ar.connector.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

import ar.connector.support.ConnectorTest;
import ar.connector.support.Http;

/**
 * What Jolokia lets the admin do (jolokia-access.xml with JolokiaAccess): the calls an attacker holding
 * the login would use to run code, write files, dump the heap or print secrets are refused with
 * status 403, and so is a proxy request; the route operations and what Hawtio's Camel view reads
 * still work, and nothing it may read shows a secret.
 */
@ConnectorTest
class JolokiaPolicyTest {

    static final String CANARY = "canary-secret-4f1d2c";

    @LocalServerPort
    int port;

    @Autowired
    CamelContext camel;

    Http admin;
    String context;

    @BeforeEach
    void setUp() {
        admin = Http.basic("http://127.0.0.1:" + port, ConnectorTest.ADMIN_USER, ConnectorTest.ADMIN_PASSWORD);
        context = "org.apache.camel:context=" + camel.getManagementName() + ",type=context,name=\""
                + camel.getName() + "\"";
        System.setProperty("connector.test.canary", CANARY);
    }

    @AfterEach
    void routesRunAgain() throws Exception {
        System.clearProperty("connector.test.canary");
        if (!camel.getRouteController().getRouteStatus("order-polling").isStarted()) {
            camel.getRouteController().startRoute("order-polling");
        }
    }

    @Test
    void diagnosticCommandsAndHeapDumpsAreRefused() throws IOException {
        Path heap = Files.createTempDirectory("jolokia").resolve("heap.hprof");

        assertRefused(jolokia(Map.of("type", "exec", "mbean", "com.sun.management:type=DiagnosticCommand",
                "operation", "jvmtiAgentLoad", "arguments", List.of("/tmp/agent.so"))));
        assertRefused(jolokia(Map.of("type", "exec", "mbean", "com.sun.management:type=DiagnosticCommand",
                "operation", "vmCommandLine", "arguments", List.of())));
        assertRefused(jolokia(Map.of("type", "exec", "mbean", "com.sun.management:type=DiagnosticCommand",
                "operation", "vmSystemProperties", "arguments", List.of())));
        assertRefused(jolokia(Map.of("type", "exec", "mbean", "com.sun.management:type=HotSpotDiagnostic",
                "operation", "dumpHeap", "arguments", List.of(heap.toString(), true))));
        assertRefused(jolokia(Map.of("type", "read", "mbean", "com.sun.management:type=HotSpotDiagnostic",
                "attribute", "DiagnosticOptions")));

        assertThat(heap).doesNotExist();
    }

    @Test
    void theJvmCommandLineAndSystemPropertiesAreNotReadable() {
        for (String attribute : List.of("InputArguments", "SystemProperties")) {
            JsonNode answer = jolokia(Map.of("type", "read", "mbean", "java.lang:type=Runtime", "attribute", attribute));
            assertRefused(answer);
            assertThat(answer.toString()).doesNotContain(CANARY);
        }
        JsonNode allOfRuntime = jolokia(Map.of("type", "read", "mbean", "java.lang:type=Runtime"));
        assertThat(allOfRuntime.toString()).doesNotContain(CANARY);
    }

    @Test
    void camelContextSendAndRequestAreRefused() throws IOException {
        Path folder = Files.createTempDirectory("jolokia-send");
        assertRefused(jolokia(Map.of("type", "exec", "mbean", context, "operation", "sendStringBody",
                "arguments", List.of("file:" + folder + "?fileName=written.txt", "hello"))));
        JsonNode request = jolokia(Map.of("type", "exec", "mbean", context, "operation", "requestStringBody",
                "arguments", List.of("language:simple:${properties:connector.admin.password}", "")));
        assertRefused(request);
        assertThat(request.toString()).doesNotContain(ConnectorTest.ADMIN_PASSWORD);
        assertRefused(jolokia(Map.of("type", "exec", "mbean", context, "operation", "dumpRoutesAsXml(boolean)",
                "arguments", List.of(true))));
        assertRefused(jolokia(Map.of("type", "exec", "mbean", context, "operation", "stop()")));

        assertThat(folder.resolve("written.txt")).doesNotExist();
        assertThat(camel.getStatus().isStarted()).isTrue();
    }

    @Test
    void writesAreRefusedAndProxyRequestsReachNoOtherJvm() throws Exception {
        assertRefused(jolokia(Map.of("type", "write", "mbean", "java.lang:type=Memory", "attribute", "Verbose",
                "value", true)));
        try (ServerSocket target = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            target.setSoTimeout(200);
            jolokia(Map.of("type", "read", "mbean", "java.lang:type=Memory", "attribute", "HeapMemoryUsage",
                    "target", Map.of("url", "service:jmx:rmi:///jndi/rmi://127.0.0.1:" + target.getLocalPort() + "/jmxrmi")));
            // The request has been answered: a connection it made would be waiting in the backlog.
            assertThatThrownBy(target::accept).as("Jolokia connected to the proxy target")
                    .isInstanceOf(SocketTimeoutException.class);
        }
        assertThatThrownBy(() -> Class.forName("org.jolokia.service.jsr160.Jsr160RequestHandler"))
                .as("the JSR-160 proxy service is not on the class path").isInstanceOf(ClassNotFoundException.class);
    }

    @Test
    void routeOperationsWorkOnlyThroughPost() throws Exception {
        String route = "org.apache.camel:context=" + camel.getManagementName() + ",type=routes,name=\"order-polling\"";

        Http.Response get = admin.get("/actuator/jolokia/exec/" + route.replace("\"", "%22") + "/stop()");
        assertRefused(get.status() == 200 ? get.json() : Http.JSON.createObjectNode().put("status", get.status()));
        assertThat(camel.getRouteController().getRouteStatus("order-polling").isStarted())
                .as("a GET (a link on any page) stops nothing").isTrue();

        assertAllowed(jolokia(Map.of("type", "exec", "mbean", route, "operation", "stop()")));
        assertThat(camel.getRouteController().getRouteStatus("order-polling").isStopped()).isTrue();
        assertAllowed(jolokia(Map.of("type", "exec", "mbean", route, "operation", "start()")));
        assertThat(camel.getRouteController().getRouteStatus("order-polling").isStarted()).isTrue();
    }

    @Test
    void whatHawtiosCamelViewReadsIsAllowedAndShowsNoSecret() {
        String route = "org.apache.camel:context=" + camel.getManagementName() + ",type=routes,name=\"receipt-mailing\"";
        List<JsonNode> answers = List.of(
                jolokia(Map.of("type", "exec", "mbean", context, "operation", "dumpRoutesAsXml()")),
                jolokia(Map.of("type", "exec", "mbean", context, "operation", "dumpRoutesStatsAsXml",
                        "arguments", List.of(true, true))),
                jolokia(Map.of("type", "exec", "mbean", route, "operation", "dumpRouteAsXml()")),
                jolokia(Map.of("type", "exec", "mbean", route, "operation", "dumpRouteStatsAsXml(boolean,boolean)",
                        "arguments", List.of(true, true))),
                jolokia(Map.of("type", "read", "mbean", route)),
                jolokia(Map.of("type", "search", "mbean", "org.apache.camel:*")),
                jolokia(Map.of("type", "list", "path", "org.apache.camel")));
        for (JsonNode answer : answers) {
            assertAllowed(answer);
            assertNoSecret(answer.toString());
        }
        assertThat(answers.get(0).path("value").asText()).contains("order-invoicing").contains("{{");
    }

    /** Every attribute of every MBean Jolokia lets the admin read, in one bulk request. */
    @Test
    void noReadableAttributeOfAnyMBeanShowsASecret() throws Exception {
        // A route sending to an endpoint with a password in its URI, as the SMTP endpoints of the
        // receipt routes get one from spring.mail.password.
        camel.addRoutes(new org.apache.camel.builder.RouteBuilder() {
            @Override
            public void configure() {
                from("direct:jolokia-canary").routeId("jolokia-canary")
                        .to("smtp://127.0.0.1:1?username=canary&password=" + CANARY);
            }
        });
        try {
            assertThat(java.lang.management.ManagementFactory.getPlatformMBeanServer().queryNames(
                    new javax.management.ObjectName("org.apache.camel:type=endpoints,*"), null))
                    .as("the endpoint is among the MBeans read").anyMatch(name -> name.toString().contains("127.0.0.1:1"));
            readEveryAttributeAndFindNoSecret();
        } finally {
            camel.getRouteController().stopRoute("jolokia-canary");
            camel.removeRoute("jolokia-canary");
        }
    }

    private void readEveryAttributeAndFindNoSecret() {
        JsonNode names = jolokia(Map.of("type", "search", "mbean", "*:*"));
        assertAllowed(names);
        ArrayNode bulk = Http.JSON.createArrayNode();
        for (JsonNode name : names.path("value")) {
            bulk.add(Http.JSON.createObjectNode().put("type", "read").put("mbean", name.asText())
                    .set("config", Http.JSON.createObjectNode().put("ignoreErrors", true)));
        }
        Http.Response answer = admin.post("/actuator/jolokia", bulk.toString());
        assertThat(answer.status()).isEqualTo(200);
        List<String> readable = new ArrayList<>();
        for (JsonNode one : answer.json()) {
            if (one.path("status").asInt() == 200) {
                readable.add(one.path("request").path("mbean").asText());
            }
        }
        assertThat(readable).as("most MBeans stay readable").hasSizeGreaterThan(names.path("value").size() / 2);
        assertNoSecret(answer.body());
    }

    @Test
    void anotherSitesOriginGetsNoCorsAnswerAndNoData() {
        String evil = "http://evil.example";
        Http.Response read = admin.send("GET", "/actuator/jolokia/version", null, null, Map.of("Origin", evil));
        assertThat(read.header("Access-Control-Allow-Origin")).isNull();
        assertThat(read.body()).doesNotContain("\"agent\"");

        Http.Response preflight = admin.send("OPTIONS", "/actuator/jolokia", null, null, Map.of("Origin", evil,
                "Access-Control-Request-Method", "POST"));
        assertThat(preflight.header("Access-Control-Allow-Origin")).isNull();

        String own = "http://127.0.0.1:" + port;
        Http.Response ownRead = admin.send("GET", "/actuator/jolokia/version", null, null, Map.of("Origin", own));
        assertThat(ownRead.status()).isEqualTo(200);
        assertThat(ownRead.json().path("status").asInt()).isEqualTo(200);
        assertThat(ownRead.header("Access-Control-Allow-Origin")).isIn(null, own);
    }

    private JsonNode jolokia(Map<String, Object> request) {
        try {
            Http.Response answer = admin.post("/actuator/jolokia", Http.JSON.writeValueAsString(request));
            if (answer.status() != 200) {
                return Http.JSON.createObjectNode().put("status", answer.status()).put("error", answer.body());
            }
            return answer.json();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertRefused(JsonNode answer) {
        assertThat(answer.path("status").asInt()).as(answer.toString()).isEqualTo(403);
        assertThat(answer.has("value")).as(answer.toString()).isFalse();
    }

    private static void assertAllowed(JsonNode answer) {
        assertThat(answer.path("status").asInt()).as(answer.toString()).isEqualTo(200);
    }

    private static void assertNoSecret(String text) {
        assertThat(text).doesNotContain(ConnectorTest.ADMIN_PASSWORD).doesNotContain(CANARY)
                .doesNotContain("MtcyH9szXvld4ZR3Kx0OvnzqF");
    }
}
