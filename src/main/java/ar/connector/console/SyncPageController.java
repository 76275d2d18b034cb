package ar.connector.console;

import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import com.fasterxml.jackson.databind.JsonNode;

import ar.connector.links.Link;
import ar.connector.links.LinkRepository;
import ar.connector.links.LinkService;
import ar.connector.links.LinkView;
import ar.connector.sync.SyncKind;
import ar.connector.sync.SyncRuns;
import ar.connector.sync.SyncScheduler;
import ar.connector.web.ApiException;

/**
 * A store's "Sincronización" page: stock or prices now, through the same {@link SyncScheduler} the
 * admin API's POST /api/links/{id}/stock-sync|price-sync calls, and the last runs' reports from
 * {@link SyncRuns}. While a run is queued or running the page follows it with a small JSON read.
 */
@Controller
@RequestMapping("/console/stores/{id}/sync")
class SyncPageController {

    static final int RUNS_SHOWN = 20;
    /** SKUs of each side listed under a report; the counts are always complete. */
    static final int SKUS_SHOWN = 30;
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("dd/MM/yyyy HH:mm:ss")
            .withZone(ZoneId.of("America/Argentina/Buenos_Aires"));

    private final SyncScheduler scheduler;
    private final SyncRuns runs;
    private final LinkService links;
    private final LinkRepository linkRepository;
    private final AccountNames names;

    SyncPageController(SyncScheduler scheduler, SyncRuns runs, LinkService links, LinkRepository linkRepository,
            AccountNames names) {
        this.scheduler = scheduler;
        this.runs = runs;
        this.links = links;
        this.linkRepository = linkRepository;
        this.names = names;
    }

    /** One SKU a run found different, with the value it wrote. */
    record ChangedSku(String sku, String value) {
    }

    /** One report as the page shows it. */
    record RunRow(SyncRuns.RunView run, String kindLabel, String triggerLabel, String stateLabel, String created,
            String duration, int onlyInContabilium, List<String> onlyInContabiliumSkus, int onlyInStore,
            List<String> onlyInStoreSkus, int skipped, boolean active, List<ChangedSku> changedSkus) {

        static RunRow of(SyncRuns.RunView r) {
            JsonNode skipped = r.skippedSkus();
            int inContabilium = count(skipped, "onlyInContabilium");
            int inStore = count(skipped, "onlyInStore");
            return new RunRow(r, ConsoleText.syncKind(r.kind()), ConsoleText.syncTrigger(r.trigger()),
                    ConsoleText.syncState(r.state()), r.createdAt() == null ? "" : WHEN.format(r.createdAt()),
                    SyncPageController.duration(r.durationMs()), inContabilium, skus(skipped, "onlyInContabilium"),
                    inStore, skus(skipped, "onlyInStore"), inContabilium + inStore,
                    "QUEUED".equals(r.state()) || "RUNNING".equals(r.state()), changed(r.changedSkus(), r.kind()));
        }
    }

    @GetMapping
    String page(@PathVariable long id, @RequestParam(required = false) String run, Model model) {
        LinkView store = links.get(id);
        if (!store.active()) {
            throw ApiException.notFound("No active link with id " + id);
        }
        List<RunRow> rows = runs.forLink(id, RUNS_SHOWN).stream().map(RunRow::of).toList();
        model.addAttribute("store", store);
        model.addAttribute("rows", rows);
        model.addAttribute("highlight", run == null ? "" : run);
        model.addAttribute("priceList", store.settings().listaDePreciosId());
        Link link = linkRepository.findById(id).orElseThrow();
        model.addAttribute("warehouseName", store.settings().depositoId() == null ? null
                : names.warehouse(link, store.settings().depositoId()));
        model.addAttribute("priceListName", store.settings().listaDePreciosId() == null ? null
                : names.priceList(link, store.settings().listaDePreciosId()));
        model.addAttribute("active", rows.stream().anyMatch(RunRow::active));
        return "console/sync";
    }

    @PostMapping("/stock")
    String stock(@PathVariable long id, RedirectAttributes redirect) {
        return start(id, SyncKind.STOCK, redirect);
    }

    @PostMapping("/precios")
    String prices(@PathVariable long id, RedirectAttributes redirect) {
        return start(id, SyncKind.PRICE, redirect);
    }

    /** The states of the runs shown, for a page waiting for one to end. */
    @GetMapping(path = "/estado", produces = MediaType.APPLICATION_JSON_VALUE)
    @ResponseBody
    Map<String, Object> state(@PathVariable long id) {
        List<String> active = new ArrayList<>();
        for (SyncRuns.RunView r : runs.forLink(id, RUNS_SHOWN)) {
            if ("QUEUED".equals(r.state()) || "RUNNING".equals(r.state())) {
                active.add(r.runId());
            }
        }
        return Map.of("active", active);
    }

    private String start(long id, SyncKind kind, RedirectAttributes redirect) {
        String what = kind == SyncKind.STOCK ? "stock" : "precios";
        try {
            String runId = scheduler.request(id, kind);
            redirect.addFlashAttribute("notice", "Sincronización de " + what + " iniciada: el informe aparece abajo al terminar.");
            redirect.addAttribute("run", runId);
        } catch (ApiException e) {
            redirect.addFlashAttribute("problem", e.status() == HttpStatus.CONFLICT
                    ? "Esta tienda no tiene lista de precios: elíjala en Configuración para sincronizar precios."
                    : "No se pudo iniciar la sincronización de " + what + ": " + ConsoleText.general(e));
        }
        return "redirect:/console/stores/" + id + "/sync";
    }

    static String duration(Long millis) {
        if (millis == null) {
            return "—";
        }
        if (millis < 1000) {
            return millis + " ms";
        }
        Duration d = Duration.ofMillis(millis);
        if (d.toMinutes() == 0) {
            return String.format(java.util.Locale.ROOT, "%d,%d s", d.toSeconds(), d.toMillisPart() / 100);
        }
        return d.toMinutes() + " min " + d.toSecondsPart() + " s";
    }

    private static List<ChangedSku> changed(JsonNode changed, String kind) {
        List<ChangedSku> out = new ArrayList<>();
        if (changed != null) {
            changed.path("items").forEach(item -> {
                if (out.size() < SKUS_SHOWN) {
                    java.math.BigDecimal value = item.path("value").decimalValue();
                    out.add(new ChangedSku(item.path("sku").asText(), "PRICE".equals(kind)
                            ? ar.connector.receipts.ReceiptText.pesos(value) : value.toPlainString()));
                }
            });
        }
        return out;
    }

    private static int count(JsonNode skipped, String side) {
        return skipped == null ? 0 : skipped.path(side).path("count").asInt(0);
    }

    private static List<String> skus(JsonNode skipped, String side) {
        List<String> out = new ArrayList<>();
        if (skipped != null) {
            skipped.path(side).path("skus").forEach(s -> {
                if (out.size() < SKUS_SHOWN) {
                    out.add(s.asText());
                }
            });
        }
        return out;
    }

    /** The newest finished run of a link, for the stores list. */
    record LastSync(String kindLabel, String stateLabel, boolean failed, String finished, int written) {

        static LastSync of(SyncRuns runs, long linkId) {
            return runs.lastFinished(linkId)
                    .map(r -> new LastSync(ConsoleText.syncKind(r.kind()), ConsoleText.syncState(r.state()),
                            "FAILED".equals(r.state()), WHEN.format(r.finishedAt()), r.written()))
                    .orElse(null);
        }
    }
}
