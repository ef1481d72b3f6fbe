package dev.flick.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProcHostInfoTest {

    @Test
    void readsTheRecordedDebianHost() {
        HostInfo h = ProcHostInfo.parse(Fixtures.text("debian12-host.txt"));
        assertThat(h.hostname()).isEqualTo("vm");
        assertThat(h.os()).isEqualTo("Debian GNU/Linux 12 (bookworm)");
        assertThat(h.kernel()).isEqualTo("6.18.44-fc-v657");
        assertThat(h.cpuModel()).isEqualTo("AMD EPYC");
        assertThat(h.cores()).isEqualTo(2);
        assertThat(h.memoryTotal()).isEqualTo(24_684_092L * 1024);
        assertThat(h.uptime()).isPositive();
    }

    @Test
    void withoutPrettyNameTheOsIsNameAndVersion() {
        assertThat(ProcHostInfo.osName("NAME=\"Alpine Linux\"\nVERSION_ID=3.20.1\n")).isEqualTo("Alpine Linux 3.20.1");
        assertThat(ProcHostInfo.osName(null)).isEqualTo("Linux");
    }

    @Test
    void armBoardsNameTheirCpuOtherwise() {
        String cpuinfo = "processor\t: 0\nBogoMIPS\t: 108.00\n\nprocessor\t: 1\n\nHardware\t: BCM2835\nModel\t\t: Raspberry Pi 4 Model B Rev 1.4\n";
        assertThat(ProcHostInfo.cpuModel(cpuinfo)).isEqualTo("Raspberry Pi 4 Model B Rev 1.4");
        assertThat(ProcHostInfo.logicalCpus(cpuinfo)).isEqualTo(2);
    }

    @Test
    void outputWithoutTheBasicsIsRejected() {
        assertThatThrownBy(() -> ProcHostInfo.parse("==> /proc/sys/kernel/hostname <==\nvm\n"))
                .isInstanceOf(MalformedSampleException.class);
    }
}
