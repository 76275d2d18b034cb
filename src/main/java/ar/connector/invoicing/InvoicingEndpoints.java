package ar.connector.invoicing;

import org.apache.camel.Body;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

/** What the invoicing routes in {@code routes/} call: message in, Java out. */
@Component("invoicingEndpoints")
public class InvoicingEndpoints {

    private final OrderInvoicer invoicer;
    private final OrderQueue queue;
    private final InvoiceRuns runs;
    private final OrderPoller poller;

    public InvoicingEndpoints(OrderInvoicer invoicer, OrderQueue queue, InvoiceRuns runs, OrderPoller poller) {
        this.invoicer = invoicer;
        this.queue = queue;
        this.runs = runs;
        this.poller = poller;
    }

    public void invoice(@Body String message, @Header("JMSXDeliveryCount") Integer deliveryCount) {
        invoicer.handle(queue.fromJson(message), deliveryCount);
    }

    public void enumerateRun(@Body String runPage) {
        int colon = runPage.lastIndexOf(':');
        runs.enumeratePage(runPage.substring(0, colon), Integer.parseInt(runPage.substring(colon + 1)));
    }

    public int poll() {
        return poller.pollAll();
    }
}
