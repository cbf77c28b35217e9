a=(;
node_name=( a b
