package dev.flick.hub.config;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalysisReporter;

/**
 * Prints why the hub cannot start as a plain block on standard error. Boot's own reporter logs it, and FLick's log
 * pattern shows line breaks in messages as {@code \n} (so no message can forge a log line), which would flatten the
 * block into one unreadable line; that reporter is silenced in application.yml.
 */
public class PlainFailureReport implements FailureAnalysisReporter {

    @Override
    public void report(FailureAnalysis analysis) {
        String block = "\n***************************\nAPPLICATION FAILED TO START\n***************************\n\n"
                + "Description:\n\n" + analysis.getDescription() + "\n\nAction:\n\n" + analysis.getAction() + "\n";
        System.err.print(block);
        System.err.flush();
    }
}
