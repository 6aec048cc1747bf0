// placeholder until the import module lands
