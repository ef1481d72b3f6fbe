package dev.flick.collector;

import dev.flick.collector.ProcSample.BlockDevice;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which block devices count for disk I/O: whole physical disks, so no byte is counted twice. Loop, RAM and zram
 * devices do no disk I/O; device-mapper and md volumes pass their I/O on to the disks beneath; a partition's I/O is
 * already in its disk's line, so it counts only when /proc/diskstats lists no such disk (some VMs and containers).
 */
final class PhysicalDisks {

    private static final String[] VIRTUAL = {"loop", "ram", "zram", "dm-", "md", "nbd", "sr", "fd", "drbd"};

    private PhysicalDisks() {}

    static List<BlockDevice> select(List<BlockDevice> all) {
        Set<String> names = new HashSet<>();
        for (BlockDevice d : all) names.add(d.name());
        List<BlockDevice> disks = new ArrayList<>();
        for (BlockDevice d : all) {
            if (!isVirtual(d.name()) && !names.contains(parentDisk(d.name()))) disks.add(d);
        }
        return disks;
    }

    private static boolean isVirtual(String name) {
        for (String prefix : VIRTUAL) if (name.startsWith(prefix)) return true;
        return false;
    }

    /** sda1 → sda, nvme0n1p2 → nvme0n1, mmcblk0p1 → mmcblk0; "" when the name ends in no number.
     * nvme0n1 maps to "nvme0n", which names no disk, so whole disks never pass for partitions. */
    static String parentDisk(String name) {
        int end = name.length();
        while (end > 0 && Character.isDigit(name.charAt(end - 1))) end--;
        if (end == name.length() || end == 0) return "";
        // nvme0n1p2, mmcblk0p1: the partition number follows a 'p' that itself follows a digit.
        if (name.charAt(end - 1) == 'p' && end >= 2 && Character.isDigit(name.charAt(end - 2))) {
            return name.substring(0, end - 1);
        }
        return name.substring(0, end);
    }
}
