package ar.connector.invoicing;

import java.util.Map;

import org.springframework.data.domain.PageRequest;
import org.springframework.data.web.PagedModel;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import ar.connector.web.ApiException;
import ar.connector.web.FieldError;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

@RestController
@RequestMapping("/api")
@Tag(name = "Orders", description = "The order log, one-by-one and bulk invoicing")
public class OrderController {

    private final OrderActions actions;
    private final InvoiceRuns runs;

    public OrderController(OrderActions actions, InvoiceRuns runs) {
        this.actions = actions;
        this.runs = runs;
    }

    @GetMapping("/links/{linkId}/orders")
    @Operation(summary = "The order log, newest first", description = "Answers {\"content\": [order rows], "
            + "\"page\": {\"size\", \"number\" (0-based), \"totalElements\", \"totalPages\"}}. "
            + "400 when status is unknown, size is outside 1..200, page is negative or page × size exceeds 2147483647.")
    public PagedModel<OrderView> list(@PathVariable long linkId, @RequestParam(required = false) String status,
            @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size) {
        OrderStatus wanted = null;
        if (status != null && !status.isBlank()) {
            try {
                wanted = OrderStatus.valueOf(status.trim().toUpperCase());
            } catch (IllegalArgumentException e) {
                throw ApiException.invalid(java.util.List.of(new FieldError("status",
                        "must be one of " + java.util.Arrays.toString(OrderStatus.values()))));
            }
        }
        if (page < 0) {
            throw ApiException.invalid(java.util.List.of(new FieldError("page", "must be 0 or more")));
        }
        if (size < 1 || size > 200) {
            throw ApiException.invalid(java.util.List.of(new FieldError("size", "must be between 1 and 200")));
        }
        return new PagedModel<>(actions.list(linkId, wanted, PageRequest.of(page, size)));
    }

    @GetMapping("/links/{linkId}/orders/{orderId}")
    public OrderView get(@PathVariable long linkId, @PathVariable long orderId) {
        return actions.get(linkId, orderId);
    }

    @PostMapping("/links/{linkId}/orders/{orderId}/invoice")
    @Operation(summary = "Invoice now, or retry a PARKED/FAILED order")
    public ResponseEntity<OrderView> invoice(@PathVariable long linkId, @PathVariable long orderId) {
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(actions.invoiceNow(linkId, orderId));
    }

    @PostMapping("/links/{linkId}/orders/{orderId}/credit-note")
    @Operation(summary = "Issue the credit note of an invoiced order now")
    public ResponseEntity<OrderView> creditNote(@PathVariable long linkId, @PathVariable long orderId) {
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(actions.creditNote(linkId, orderId));
    }

    @PostMapping("/links/{linkId}/orders/{orderId}/skip")
    @Operation(summary = "Mark the order as not to be invoiced here")
    public OrderView skip(@PathVariable long linkId, @PathVariable long orderId) {
        return actions.skip(linkId, orderId);
    }

    @PostMapping("/links/{linkId}/orders/{orderId}/receipt")
    @Operation(summary = "E-mail the invoice to the buyer again (202: queued; 409 without an invoice)")
    public ResponseEntity<OrderView> receipt(@PathVariable long linkId, @PathVariable long orderId) {
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(actions.resendReceipt(linkId, orderId));
    }

    @PostMapping("/links/{linkId}/invoice-runs")
    @Operation(summary = "Bulk invoicing over Buenos Aires dates (inclusive) or a list of orders")
    public ResponseEntity<Map<String, String>> startRun(@PathVariable long linkId,
            @RequestBody InvoiceRuns.RunRequest request) {
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("runId", runs.start(linkId, request)));
    }

    @GetMapping("/invoice-runs/{runId}")
    public InvoiceRuns.RunView run(@PathVariable String runId) {
        return runs.view(runId);
    }

    @DeleteMapping("/invoice-runs/{runId}")
    @Operation(summary = "Cancel a run: orders not yet invoiced stay as they are")
    public InvoiceRuns.RunView cancel(@PathVariable String runId) {
        return runs.cancel(runId);
    }
}
