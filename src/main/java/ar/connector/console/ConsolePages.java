package ar.connector.console;

import java.util.List;

import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** What every console page shows above its own content: flows an operator stopped. */
@ControllerAdvice(basePackageClasses = ConsolePages.class)
class ConsolePages {

    private final FlowStatus flows;

    ConsolePages(FlowStatus flows) {
        this.flows = flows;
    }

    @ModelAttribute("flowWarnings")
    List<String> flowWarnings() {
        return flows.warnings();
    }
}
