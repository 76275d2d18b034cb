package ar.connector.sync;

import org.springframework.stereotype.Component;

import ar.connector.invoicing.OrderInvoicer;

/** Once an order's invoice is issued its units are in Contabilium's stock: the lines are dropped. */
@Component
class ReservationCleanup {

    ReservationCleanup(OrderInvoicer invoicer, OrderReservations reservations) {
        invoicer.onIssued(record -> reservations.forget(record.getLinkId(), record.getOrderId()));
    }
}
