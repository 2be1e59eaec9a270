// Test-only code (never shipped). The INodeTypes registry a Workflow resolves its nodes from,
// holding the node types a harness run uses (n8n's NodeTypes does the same from loaded packages).

import { NodeHelpers, UnexpectedError } from 'n8n-workflow';
import type { IDataObject, INodeType, INodeTypes, IVersionedNodeType } from 'n8n-workflow';

export type AnyNodeType = INodeType | IVersionedNodeType;

export function isVersioned(nodeType: AnyNodeType): nodeType is IVersionedNodeType {
	return 'nodeVersions' in nodeType && nodeType.nodeVersions !== undefined;
}

/** The version a new node of this type gets in the editor (the default / newest one). */
export function defaultVersion(nodeType: AnyNodeType): number {
	if (isVersioned(nodeType)) {
		return nodeType.description.defaultVersion ?? Math.max(...Object.keys(nodeType.nodeVersions).map(Number));
	}
	const { version } = nodeType.description;
	return Array.isArray(version) ? Math.max(...version) : version;
}

export class NodeTypes implements INodeTypes {
	private readonly types = new Map<string, AnyNodeType>();

	register(name: string, nodeType: AnyNodeType): void {
		this.types.set(name, nodeType);
	}

	getByName(name: string): AnyNodeType {
		const nodeType = this.types.get(name);
		if (!nodeType) throw new UnexpectedError(`Unknown node type "${name}"`);
		return nodeType;
	}

	getByNameAndVersion(name: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(name), version);
	}

	getKnownTypes(): IDataObject {
		return Object.fromEntries([...this.types.keys()].map((name) => [name, { className: name, sourcePath: '' }]));
	}
}
