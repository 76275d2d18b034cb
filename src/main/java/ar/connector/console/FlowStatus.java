package ar.connector.console;

import java.util.ArrayList;
import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.springframework.stereotype.Component;

/**
 * Whether the flows a merchant counts on are running on this instance. An operator may stop a route
 * (Hawtio, JMX, the actuator): then paid orders wait on the broker and the console must say so
 * instead of promising "Facturación automática".
 */
@Component
class FlowStatus {

    /** The routes whose stop a merchant notices, with what the console tells them. */
    private record Watched(String routeId, String warning) {
    }

    private static final Watched INVOICING = new Watched("order-invoicing", "La facturación está detenida: los pedidos pagados esperan en la cola y se facturarán cuando un operador reanude la ruta «order-invoicing».");
    private static final Watched TURNS = new Watched("invoice-turn", "La facturación está detenida: los pedidos pagados esperan su turno y se facturarán cuando un operador reanude la ruta «invoice-turn».");
    private static final List<Watched> WATCHED = List.of(INVOICING, TURNS, new Watched("order-webhook", "La recepción de pedidos está detenida: Jumpseller reintentará sus avisos y los pedidos se verán cuando un operador reanude la ruta «order-webhook»."));

    private final CamelContext camel;

    FlowStatus(CamelContext camel) {
        this.camel = camel;
    }

    /** One warning per stopped (or suspended) flow; empty when all run. */
    List<String> warnings() {
        List<String> out = new ArrayList<>();
        for (Watched watched : WATCHED) {
            if (stopped(watched.routeId())) {
                out.add(watched.warning());
            }
        }
        return out;
    }

    boolean invoicingStopped() {
        return stopped(INVOICING.routeId()) || stopped(TURNS.routeId());
    }

    private boolean stopped(String routeId) {
        if (camel.getRoute(routeId) == null) {
            return false; // not loaded in this deployment
        }
        ServiceStatus status = camel.getRouteController().getRouteStatus(routeId);
        return status != null && !status.isStarted();
    }
}
