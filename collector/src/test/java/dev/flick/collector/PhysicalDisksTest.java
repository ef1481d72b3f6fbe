package dev.flick.collector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flick.collector.ProcSample.BlockDevice;
import java.util.List;
import org.junit.jupiter.api.Test;

class PhysicalDisksTest {

    @Test
    void partitionsCountOnlyWhenTheirDiskIsMissing() {
        List<BlockDevice> all = devices("sda", "sda1", "sda2", "nvme0n1", "nvme0n1p1", "mmcblk0", "mmcblk0p1", "xvdb1", "vdc");
        assertThat(PhysicalDisks.select(all)).extracting(BlockDevice::name)
                .containsExactly("sda", "nvme0n1", "mmcblk0", "xvdb1", "vdc");
    }

    @Test
    void virtualAndStackedDevicesAreLeftOut() {
        List<BlockDevice> all = devices("loop0", "ram0", "zram0", "dm-0", "md0", "nbd0", "sr0", "sda");
        assertThat(PhysicalDisks.select(all)).extracting(BlockDevice::name).containsExactly("sda");
    }

    private static List<BlockDevice> devices(String... names) {
        return java.util.Arrays.stream(names).map(n -> new BlockDevice(n, 0, 0)).toList();
    }
}
