package dev.flick.hub.config;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.task.SimpleAsyncTaskSchedulerCustomizer;
import org.springframework.boot.task.ThreadPoolTaskSchedulerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.ErrorHandler;

/**
 * A scheduled job that fails (the database away, a full disk) is logged once per distinct reason and minute, in one
 * line, instead of a stack trace every second: the write path already says clearly what is wrong (docs/durability.md).
 */
@Configuration(proxyBeanMethods = false)
class QuietScheduling {

    private static final Logger log = LoggerFactory.getLogger("dev.flick.hub.scheduled");
    private static final long REPEAT_MS = 60_000;
    private final Map<String, Long> lastLogged = new ConcurrentHashMap<>();

    private final ErrorHandler handler = e -> {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String reason = root.getClass().getSimpleName() + ": " + root.getMessage();
        long now = System.currentTimeMillis();
        Long last = lastLogged.get(reason);
        if (last == null || now - last > REPEAT_MS) {
            lastLogged.put(reason, now);
            if (lastLogged.size() > 1_000) lastLogged.clear();
            log.warn("A background job failed and will run again: {} (repeats within a minute are not logged)", reason);
        }
    };

    @Bean
    SimpleAsyncTaskSchedulerCustomizer quietSimpleScheduler() {
        return scheduler -> scheduler.setErrorHandler(handler);
    }

    @Bean
    ThreadPoolTaskSchedulerCustomizer quietPoolScheduler() {
        return scheduler -> scheduler.setErrorHandler(handler);
    }
}
