package ar.connector.links;

import java.net.URI;
import java.util.List;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;

@RestController
@RequestMapping("/api")
@Tag(name = "Links", description = "Contabilium accounts joined with Jumpseller stores")
public class LinkController {

    private final LinkService service;
    private final AccountOptions options;

    public LinkController(LinkService service, AccountOptions options) {
        this.service = service;
        this.options = options;
    }

    @PostMapping("/links")
    @Operation(summary = "Link a Jumpseller store to a Contabilium account")
    public ResponseEntity<LinkView> create(@RequestBody LinkRequest request) {
        LinkView created = service.create(request);
        return ResponseEntity.created(URI.create("/api/links/" + created.id())).body(created);
    }

    @GetMapping("/links")
    @Operation(summary = "List links (active ones unless includeUnlinked)")
    public List<LinkView> list(@RequestParam(defaultValue = "false") boolean includeUnlinked) {
        return service.list(includeUnlinked);
    }

    @GetMapping("/links/{id}")
    public LinkView get(@PathVariable long id) {
        return service.get(id);
    }

    @PatchMapping(path = "/links/{id}", consumes = {"application/merge-patch+json", "application/json"})
    @Operation(summary = "JSON Merge Patch of settings and credentials",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
                    mediaType = "application/merge-patch+json", schema = @Schema(implementation = LinkRequest.class))))
    public LinkView patch(@PathVariable long id, @RequestBody LinkPatch patch) {
        return service.patch(id, patch == null ? null : patch.document());
    }

    @DeleteMapping("/links/{id}")
    @Operation(summary = "Unlink the store; the link's history is kept")
    public ResponseEntity<Void> delete(@PathVariable long id) {
        service.unlink(id);
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/contabilium/options")
    @Operation(summary = "The points of sale, sale conditions, warehouses and price lists a link's settings can use",
            description = "Reads them live from the Contabilium account of {clientId, clientSecret}; 422 when it refuses them")
    public AccountOptions.Options contabiliumOptions(@RequestBody AccountOptions.Credentials credentials) {
        return options.read(credentials);
    }
}
