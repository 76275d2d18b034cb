package ar.connector.sync;

import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import ar.connector.links.LinkRepository;
import ar.connector.web.ApiException;
import ar.connector.web.FieldError;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

@RestController
@RequestMapping("/api")
@Tag(name = "Sync", description = "Stock and price synchronisation runs and their reports")
public class SyncController {

    private final SyncScheduler scheduler;
    private final SyncRuns runs;
    private final LinkRepository links;

    public SyncController(SyncScheduler scheduler, SyncRuns runs, LinkRepository links) {
        this.scheduler = scheduler;
        this.runs = runs;
        this.links = links;
    }

    @PostMapping("/links/{linkId}/stock-sync")
    @Operation(summary = "Synchronise the store's stock now")
    public ResponseEntity<Map<String, String>> stock(@PathVariable long linkId) {
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("runId", scheduler.request(linkId, SyncKind.STOCK)));
    }

    @PostMapping("/links/{linkId}/price-sync")
    @Operation(summary = "Synchronise the store's prices from its price list now")
    public ResponseEntity<Map<String, String>> price(@PathVariable long linkId) {
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("runId", scheduler.request(linkId, SyncKind.PRICE)));
    }

    @GetMapping("/sync-runs/{runId}")
    @Operation(summary = "One sync run: items read, changed, written, skipped SKUs, duration")
    public SyncRuns.RunView run(@PathVariable String runId) {
        return runs.find(runId).orElseThrow(() -> ApiException.notFound("No sync run " + runId));
    }

    @GetMapping("/links/{linkId}/sync-runs")
    @Operation(summary = "The link's sync runs, newest first")
    public List<SyncRuns.RunView> forLink(@PathVariable long linkId, @RequestParam(defaultValue = "50") int limit) {
        if (limit < 1 || limit > 500) {
            throw ApiException.invalid(List.of(new FieldError("limit", "must be between 1 and 500")));
        }
        if (!links.existsById(linkId)) {
            throw ApiException.notFound("No link with id " + linkId);
        }
        return runs.forLink(linkId, limit);
    }
}
