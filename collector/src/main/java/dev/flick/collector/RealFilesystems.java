package dev.flick.collector;

import dev.flick.collector.ProcSample.Filesystem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Which mounts count as disks: real local filesystems, one entry per device, as {@code df -l} would list them. */
final class RealFilesystems {

    /** Kernel, memory and container filesystems: they hold no user data on a disk of their own. */
    private static final Set<String> PSEUDO = Set.of(
            "tmpfs", "devtmpfs", "ramfs", "proc", "sysfs", "devpts", "cgroup", "cgroup2", "overlay", "overlayfs",
            "aufs", "squashfs", "securityfs", "debugfs", "tracefs", "pstore", "bpf", "efivarfs", "configfs",
            "fusectl", "mqueue", "hugetlbfs", "binfmt_misc", "autofs", "rpc_pipefs", "nsfs", "selinuxfs",
            "fuse.lxcfs", "fuse.gvfsd-fuse", "fuse.portal", "fuse.snapfuse", "iso9660", "none", "rootfs", "udev",
            "zram", "nfsd", "devfs", "kernfs", "shm");
    /** Network filesystems: df -l leaves them out, and a stale one must never stall a sample. */
    private static final Set<String> REMOTE = Set.of(
            "nfs", "nfs4", "cifs", "smb3", "smbfs", "ncpfs", "afs", "coda", "ceph", "glusterfs", "fuse.glusterfs",
            "fuse.sshfs", "lustre", "gfs2", "ocfs2", "9p", "fuse.s3fs", "fuse.rclone", "davfs");

    private RealFilesystems() {}

    static boolean isCandidate(String device, String type) {
        if (PSEUDO.contains(type) || REMOTE.contains(type)) return false;
        return !device.contains(":") && !device.startsWith("//");
    }

    /** Keeps candidates with a size, and of several mounts of one device the shortest mount point, like GNU df. */
    static List<Filesystem> select(List<Filesystem> all) {
        Map<String, Filesystem> byDevice = new LinkedHashMap<>();
        for (Filesystem fs : all) {
            if (!isCandidate(fs.device(), fs.type()) || fs.total() <= 0) continue;
            byDevice.merge(fs.device(), fs, (kept, other) -> other.mount().length() < kept.mount().length() ? other : kept);
        }
        return new ArrayList<>(byDevice.values());
    }
}
