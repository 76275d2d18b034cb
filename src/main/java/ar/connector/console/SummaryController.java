package ar.connector.console;

import java.time.LocalDate;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;

import ar.connector.links.Link;
import ar.connector.links.LinkRepository;
import ar.connector.links.LinkService;

/** A store's "Resumen": invoiced today and this month by document type, credit notes, orders needing a person. */
@Controller
@RequestMapping("/console/stores/{id}/resumen")
class SummaryController {

    private final LinkService links;
    private final LinkRepository linkRepository;
    private final StoreSummary summaries;

    SummaryController(LinkService links, LinkRepository linkRepository, StoreSummary summaries) {
        this.links = links;
        this.linkRepository = linkRepository;
        this.summaries = summaries;
    }

    @GetMapping
    String summary(@PathVariable long id, Model model) {
        Link link = linkRepository.findById(id).filter(Link::isActive)
                .orElseThrow(() -> new ConsoleProblem(HttpStatus.NOT_FOUND, ConsoleText.PAGE_NOT_FOUND));
        LocalDate today = LocalDate.now(OrdersController.BUENOS_AIRES);
        model.addAttribute("store", links.get(id));
        model.addAttribute("summary", summaries.of(link, today));
        model.addAttribute("month", today.toString().substring(0, 7));
        return "console/summary";
    }
}
