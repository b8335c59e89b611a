"""The emulated machine's disks: an MBR partition table that splits a disk
into equal primary Linux partitions (the nodes see /dev/vda1, /dev/vda2...),
so VMs of different nodes can use distinct partitions of the same name on
each node's disk (a VM that moves finds a partition of its own there)."""

import struct

SECTOR = 512
FIRST_LBA = 2048  # 1 MiB aligned, as fdisk does


def partition_table(disk_bytes, parts):
    """The 512-byte MBR of a disk of @disk_bytes split into @parts (1-4)
    equal partitions of type 0x83, each a whole number of MiB."""
    if not 1 <= parts <= 4:
        raise ValueError(f"{parts} partitions: an MBR holds 1 to 4")
    per = (disk_bytes // SECTOR - FIRST_LBA) // parts // FIRST_LBA * FIRST_LBA
    if per <= 0:
        raise ValueError(f"a disk of {disk_bytes} bytes is too small for {parts} partitions")
    mbr = bytearray(SECTOR)
    for i in range(parts):
        # status, CHS first (unused: 0xfffffe), type, CHS last, LBA, sectors
        entry = struct.pack("<B3sB3sII", 0, b"\xfe\xff\xff", 0x83, b"\xfe\xff\xff",
                            FIRST_LBA + i * per, per)
        mbr[446 + 16 * i:446 + 16 * (i + 1)] = entry
    mbr[510:512] = b"\x55\xaa"
    return bytes(mbr)
