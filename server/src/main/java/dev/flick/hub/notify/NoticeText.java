package dev.flick.hub.notify;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A notice in words for one language (English or Korean): the headline every channel starts with, the labels of
 * email rows, and the stable code with parameters the in-app inbox and the web client render themselves.
 */
public final class NoticeText {

    /** The languages notices are written in; anything else reads English. */
    public enum Language {
        EN, KO;

        /** A user's stored language tag (en, ko, ko-KR…), or English. */
        public static Language of(String tag) {
            return tag != null && tag.toLowerCase(Locale.ROOT).startsWith("ko") ? KO : EN;
        }
    }

    private NoticeText() {}

    /** The notice's code: alert.firing, alert.reminder, alert.resolved or test. */
    public static String code(Notice n) {
        return switch (n.kind()) {
            case FIRING -> "alert.firing";
            case REMINDER -> "alert.reminder";
            case RESOLVED -> "alert.resolved";
            case TEST -> "test";
        };
    }

    /** The values a translation of the headline fills in (machine values beside the hub's formatted ones). */
    public static Map<String, Object> params(Notice n) {
        Map<String, Object> p = new LinkedHashMap<>();
        put(p, "level", n.level());
        put(p, "metric", n.metric());
        put(p, "mount", n.mount());
        put(p, "metricLabel", n.metricLabel());
        put(p, "server", n.serverName() == null ? n.serverId() : n.serverName());
        put(p, "value", n.value());
        put(p, "threshold", n.threshold());
        put(p, "valueText", n.valueText());
        put(p, "thresholdText", n.thresholdText());
        put(p, "rule", n.ruleName());
        p.put("ts", n.ts());
        if (!n.processes().isEmpty() && n.kind() != Notice.Kind.RESOLVED) {
            p.put("top", n.processes().stream().limit(3)
                    .map(x -> x.name() + " (" + Math.round(x.cpu()) + " % CPU)").collect(java.util.stream.Collectors.joining(", ")));
        }
        return p;
    }

    private static void put(Map<String, Object> p, String k, Object v) {
        if (v != null) p.put(k, v);
    }

    public static String headline(Notice n, Language lang) {
        if (lang == Language.EN) return n.headline();
        String where = n.serverName() == null ? n.serverId() : n.serverName();
        String metric = metricLabel(n, lang);
        return switch (n.kind()) {
            case RESOLVED -> "해결됨: " + where + "의 " + metric + " 값이 " + n.valueText() + "(으)로 돌아왔습니다";
            case TEST -> "FLick 테스트: 이 채널이 작동합니다";
            case FIRING, REMINDER -> (n.kind() == Notice.Kind.REMINDER ? "계속 " : "") + level(n.level(), lang) + ": "
                    + where + "의 " + metric + " 값이 " + n.valueText() + "입니다(" + n.thresholdText() + ")";
        };
    }

    /** The metric in the language's words, with the mount or device when there is one. */
    static String metricLabel(Notice n, Language lang) {
        if (lang == Language.EN || n.metric() == null) return n.metricLabel();
        String ko = KO_METRICS.get(n.metric());
        if (ko == null) return n.metricLabel();
        return n.mount() == null ? ko : ko + " " + n.mount();
    }

    static String level(String level, Language lang) {
        if (lang == Language.EN || level == null) return level;
        return switch (level) {
            case "critical" -> "심각";
            case "warning" -> "경고";
            case "info" -> "정보";
            default -> level;
        };
    }

    /** An email row label (Server, Metric, Value, Threshold, Level, Rule, Time, Top processes at that moment, Open in FLick). */
    static String label(String english, Language lang) {
        if (lang == Language.EN) return english;
        return KO_LABELS.getOrDefault(english, english);
    }

    /** When, for people: ISO-8601 UTC in English (as before), Korean date and 24-hour time in Korea's zone otherwise. */
    static String time(long ts, Language lang) {
        if (lang == Language.EN) return Instant.ofEpochMilli(ts).toString();
        return DateTimeFormatter.ofPattern("yyyy년 M월 d일 HH:mm:ss 'UTC'", Locale.KOREAN)
                .format(Instant.ofEpochMilli(ts).atOffset(ZoneOffset.UTC));
    }

    private static final Map<String, String> KO_LABELS = Map.of(
            "Server", "서버", "Metric", "지표", "Value", "값", "Threshold", "임계값", "Level", "수준",
            "Rule", "규칙", "Time", "시각", "Top processes at that moment", "그때의 상위 프로세스",
            "Open in FLick", "FLick에서 열기", "Top processes", "상위 프로세스");

    private static final Map<String, String> KO_METRICS = Map.ofEntries(
            Map.entry("cpu.usage", "CPU 사용률"),
            Map.entry("memory.usage", "메모리 사용률"),
            Map.entry("swap.usage", "스왑 사용률"),
            Map.entry("disk.usage", "디스크 사용률"),
            Map.entry("cpu.load1", "부하(1분)"),
            Map.entry("cpu.load5", "부하(5분)"),
            Map.entry("cpu.load15", "부하(15분)"),
            Map.entry("network.rxBps", "네트워크 수신"),
            Map.entry("network.txBps", "네트워크 송신"),
            Map.entry("diskIo.readBps", "디스크 읽기"),
            Map.entry("diskIo.writeBps", "디스크 쓰기"),
            Map.entry("server.offline", "응답 없음"),
            Map.entry("sensor.temperature", "온도"),
            Map.entry("gpu.temperature", "GPU 온도"),
            Map.entry("gpu.utilization", "GPU 사용률"),
            Map.entry("smart.failed", "디스크 상태 불량"),
            Map.entry("smart.temperature", "드라이브 온도"),
            Map.entry("smart.reallocated", "재할당된 섹터"),
            Map.entry("smart.pending", "대기 중인 섹터"),
            Map.entry("smart.percentageUsed", "NVMe 마모도"),
            Map.entry("smart.mediaErrors", "NVMe 미디어 오류"),
            Map.entry("service.failed", "실패한 유닛"),
            Map.entry("container.stopped", "컨테이너 중지됨"),
            Map.entry("container.unhealthy", "컨테이너 비정상"),
            Map.entry("container.restarts", "컨테이너 재시작"));
}
