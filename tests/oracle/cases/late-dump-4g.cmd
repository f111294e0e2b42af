qemu-system-x86_64 -nographic -no-reboot -machine pc -cpu qemu64 -m 4G -kernel vmlinuz -append 'console=ttyS0 memblock=debug panic=-1' -serial file:late-dump-4g.log -display none -monitor none
