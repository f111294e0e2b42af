qemu-system-x86_64 -nographic -no-reboot -display none -net none -monitor pipe:./mon -initrd ./initrd.123457 -cpu qemu64 -m 196608M -object memory-backend-ram\,id=m0\,size=196608M\,reserve=off -machine q35\,memory-backend=m0 -kernel vmlinuz -append console=ttyS0\ earlyprintk=serial\ memblock=debug\ panic=-1\ movable_node\ memmap=3M\$2891M -serial file:kaslr-measured-196g.log
# kernel: vmlinuz-6.1.0-57-cloud-amd64
# direct-map base: kaslr-measured-196g.base, read from the QEMU monitor on the stopped guest (scripts/oracle.sh, measure_base: info mem, gva2gpa)
