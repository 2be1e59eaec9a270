'use strict';
// The emulated org's sObjects. Field types follow Salesforce's describe types.
// `ref` = referenceTo object and relationshipName; `ext` = external ID (also unique and idLookup).

// Standard on every object: the record ID and the audit fields Salesforce fills in itself (never createable
// or updateable, never null, defaulted on create).
const audit = { createable: false, updateable: false, nillable: false, defaultedOnCreate: true };
const system = {
	Id: { type: 'id', label: 'Record ID', length: 18, idLookup: true, ...audit },
	IsDeleted: { type: 'boolean', label: 'Deleted', ...audit },
	CreatedDate: { type: 'datetime', label: 'Created Date', ...audit },
	CreatedById: { type: 'reference', label: 'Created By ID', ref: ['User', 'CreatedBy'], ...audit },
	LastModifiedDate: { type: 'datetime', label: 'Last Modified Date', ...audit },
	LastModifiedById: { type: 'reference', label: 'Last Modified By ID', ref: ['User', 'LastModifiedBy'], ...audit },
	SystemModstamp: { type: 'datetime', label: 'System Modstamp', ...audit },
};

// Picklist values as the standard org answers them (the recorded describes in test/fixtures/recorded-responses/rest).
const ACCOUNT_TYPES = ['Prospect', 'Customer - Direct', 'Customer - Channel', 'Channel Partner / Reseller', 'Installation Partner', 'Technology Partner', 'Other'];
const INDUSTRIES = ['Agriculture', 'Apparel', 'Banking', 'Biotechnology', 'Chemicals', 'Communications', 'Construction', 'Consulting', 'Education', 'Electronics', 'Energy', 'Engineering', 'Entertainment', 'Environmental', 'Finance', 'Food & Beverage', 'Government', 'Healthcare', 'Hospitality', 'Insurance', 'Machinery', 'Manufacturing', 'Media', 'Not For Profit', 'Recreation', 'Retail', 'Shipping', 'Technology', 'Telecommunications', 'Transportation', 'Utilities', 'Other'];
const LEAD_STATUSES = ['Open - Not Contacted', 'Working - Contacted', 'Closed - Converted', 'Closed - Not Converted'];

const objects = {
	User: {
		keyPrefix: '005',
		label: 'User',
		labelPlural: 'Users',
		queryOnly: true,
		fields: {
			Username: { type: 'string', label: 'Username', required: true, length: 80 },
			Name: { type: 'string', label: 'Full Name', length: 121 },
			Email: { type: 'email', label: 'Email', required: true, length: 128 },
		},
	},
	Account: {
		keyPrefix: '001',
		label: 'Account',
		labelPlural: 'Accounts',
		fields: {
			Name: { type: 'string', label: 'Account Name', required: true, length: 255, nameField: true },
			AccountNumber: { type: 'string', label: 'Account Number', length: 40 },
			Type: { type: 'picklist', label: 'Account Type', length: 40, values: ACCOUNT_TYPES },
			Industry: { type: 'picklist', label: 'Industry', length: 40, values: INDUSTRIES },
			AnnualRevenue: { type: 'currency', label: 'Annual Revenue', precision: 18, scale: 0 },
			NumberOfEmployees: { type: 'int', label: 'Employees', digits: 8 },
			Phone: { type: 'phone', label: 'Account Phone', length: 40 },
			Website: { type: 'url', label: 'Website', length: 255 },
			BillingCity: { type: 'string', label: 'Billing City', length: 40 },
			BillingCountry: { type: 'string', label: 'Billing Country', length: 80 },
			Description: { type: 'textarea', label: 'Account Description', length: 32000 },
			ParentId: { type: 'reference', label: 'Parent Account ID', ref: ['Account', 'Parent'] },
			OwnerId: { type: 'reference', label: 'Owner ID', ref: ['User', 'Owner'], nillable: false, defaultedOnCreate: true },
			Legacy_Id__c: { type: 'string', label: 'Legacy ID', length: 50, ext: true, custom: true },
			Active__c: { type: 'boolean', label: 'Active', custom: true },
			SLA_Expiration_Date__c: { type: 'date', label: 'SLA Expiration Date', custom: true },
		},
	},
	Contact: {
		keyPrefix: '003',
		label: 'Contact',
		labelPlural: 'Contacts',
		fields: {
			FirstName: { type: 'string', label: 'First Name', length: 40 },
			LastName: { type: 'string', label: 'Last Name', required: true, length: 80 },
			Name: { type: 'string', label: 'Full Name', length: 121, createable: false, updateable: false, nillable: false, nameField: true },
			Email: { type: 'email', label: 'Email', length: 80, idLookup: true },
			Phone: { type: 'phone', label: 'Business Phone', length: 40 },
			Title: { type: 'string', label: 'Title', length: 128 },
			Birthdate: { type: 'date', label: 'Birthdate' },
			DoNotCall: { type: 'boolean', label: 'Do Not Call' },
			AccountId: { type: 'reference', label: 'Account ID', ref: ['Account', 'Account'] },
			OwnerId: { type: 'reference', label: 'Owner ID', ref: ['User', 'Owner'], nillable: false, defaultedOnCreate: true },
			Legacy_Id__c: { type: 'string', label: 'Legacy ID', length: 50, ext: true, custom: true },
		},
	},
	Lead: {
		keyPrefix: '00Q',
		label: 'Lead',
		labelPlural: 'Leads',
		fields: {
			FirstName: { type: 'string', label: 'First Name', length: 40 },
			LastName: { type: 'string', label: 'Last Name', required: true, length: 80 },
			Name: { type: 'string', label: 'Full Name', length: 121, createable: false, updateable: false, nillable: false, nameField: true },
			Company: { type: 'string', label: 'Company', required: true, length: 255 },
			Email: { type: 'email', label: 'Email', length: 80, idLookup: true },
			Status: { type: 'picklist', label: 'Status', length: 255, values: LEAD_STATUSES, defaultValue: 'Open - Not Contacted', nillable: false },
			AnnualRevenue: { type: 'currency', label: 'Annual Revenue', precision: 18, scale: 0 },
			NumberOfEmployees: { type: 'int', label: 'Employees', digits: 8 },
			IsConverted: { type: 'boolean', label: 'Converted', updateable: false },
			ConvertedDate: { type: 'date', label: 'Converted Date', createable: false, updateable: false },
			// A lead or case may be owned by a queue (Group): Salesforce lists both targets.
			OwnerId: { type: 'reference', label: 'Owner ID', ref: ['User', 'Owner'], referenceTo: ['Group', 'User'], nillable: false, defaultedOnCreate: true },
		},
	},
	Case: {
		keyPrefix: '500',
		label: 'Case',
		labelPlural: 'Cases',
		fields: {
			CaseNumber: { type: 'string', label: 'Case Number', length: 30, createable: false, updateable: false, nameField: true, autoNumber: true },
			Subject: { type: 'string', label: 'Subject', length: 255 },
			Description: { type: 'textarea', label: 'Description', length: 32000 },
			Status: { type: 'picklist', label: 'Status', length: 255, defaultValue: 'New' },
			Priority: { type: 'picklist', label: 'Priority', length: 255, defaultValue: 'Medium' },
			Origin: { type: 'picklist', label: 'Case Origin', length: 255 },
			IsEscalated: { type: 'boolean', label: 'Escalated' },
			ClosedDate: { type: 'datetime', label: 'Closed Date' },
			AccountId: { type: 'reference', label: 'Account ID', ref: ['Account', 'Account'] },
			ContactId: { type: 'reference', label: 'Contact ID', ref: ['Contact', 'Contact'] },
			OwnerId: { type: 'reference', label: 'Owner ID', ref: ['User', 'Owner'], nillable: false, defaultedOnCreate: true },
		},
	},
	Invoice__c: {
		keyPrefix: 'a01',
		label: 'Invoice',
		labelPlural: 'Invoices',
		custom: true,
		fields: {
			Name: { type: 'string', label: 'Invoice Name', length: 80, nameField: true, idLookup: true, defaultedOnCreate: true },
			Legacy_Id__c: { type: 'string', label: 'Legacy ID', length: 50, ext: true, custom: true },
			Account__c: { type: 'reference', label: 'Account', ref: ['Account', 'Account__r'], custom: true },
			Amount__c: { type: 'currency', label: 'Amount', precision: 18, scale: 2, custom: true },
			Quantity__c: { type: 'double', label: 'Quantity', precision: 18, scale: 3, custom: true },
			Paid__c: { type: 'boolean', label: 'Paid', custom: true },
			Due_Date__c: { type: 'date', label: 'Due Date', custom: true },
			Issued_At__c: { type: 'datetime', label: 'Issued At', custom: true },
			Notes__c: { type: 'textarea', label: 'Notes', length: 131072, custom: true },
			OwnerId: { type: 'reference', label: 'Owner ID', ref: ['User', 'Owner'], nillable: false, defaultedOnCreate: true },
		},
	},
	Attachment: {
		keyPrefix: '00P',
		label: 'Attachment',
		labelPlural: 'Attachments',
		fields: {
			Name: { type: 'string', label: 'File Name', required: true, length: 255, nameField: true },
			ParentId: { type: 'reference', label: 'Parent ID', required: true, ref: ['Account', 'Parent'], polymorphic: true },
			Body: { type: 'base64', label: 'Body', required: true },
			BodyLength: { type: 'int', label: 'Body Length', createable: false, updateable: false },
			ContentType: { type: 'string', label: 'Content Type', length: 120 },
			Description: { type: 'textarea', label: 'Description', length: 500 },
			IsPrivate: { type: 'boolean', label: 'Private' },
		},
	},
};

// Complete each object: system fields first, defaults for flags, a lowercase index for lookups.
for (const [name, object] of Object.entries(objects)) {
	object.name = name;
	// Each object its own copy of the system fields; the record ID is labelled after the object, as Salesforce does.
	const own = Object.fromEntries(Object.entries(system).map(([fieldName, field]) => [fieldName, { ...field }]));
	if (!object.custom) own.Id.label = `${object.label} ID`;
	object.fields = { ...own, ...object.fields };
	object.byLower = new Map();
	object.relationships = new Map();
	for (const [fieldName, field] of Object.entries(object.fields)) {
		field.name = fieldName;
		field.createable ??= !object.queryOnly;
		field.updateable ??= !object.queryOnly;
		field.nillable ??= !field.required && field.type !== 'boolean' && field.type !== 'id';
		if (field.type === 'reference' || field.type === 'id') field.length ??= 18;
		field.ext = Boolean(field.ext);
		object.byLower.set(fieldName.toLowerCase(), field);
		if (field.ref) object.relationships.set(field.ref[1].toLowerCase(), field);
	}
}

const byLower = new Map(Object.keys(objects).map((n) => [n.toLowerCase(), objects[n]]));
const byPrefix = new Map(Object.values(objects).map((o) => [o.keyPrefix, o]));

/** Looks an object up case-insensitively, as Salesforce does. */
function findObject(name) {
	return typeof name === 'string' ? byLower.get(name.toLowerCase()) : undefined;
}

function findField(object, name) {
	return object.byLower.get(String(name).toLowerCase());
}

module.exports = { objects, findObject, findField, byPrefix };
